package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Interface names and indexes of this network namespace. */
class InterfacesTest {

    @Test
    void loopbackIsFoundByNameAndByIndexAndListed() {
        int lo = Interfaces.nameToIndex("lo");
        assertTrue(lo >= 1);
        assertEquals("lo", Interfaces.indexToName(lo));
        assertTrue(Interfaces.list().contains(new Interfaces.Interface(lo, "lo")), Interfaces.list().toString());
        for (Interfaces.Interface each : Interfaces.list()) {
            assertEquals(each.index(), Interfaces.nameToIndex(each.name()));
        }
    }

    @Test
    void unknownNamesAndIndexesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Interfaces.nameToIndex("no-such-if"));
        assertThrows(IllegalArgumentException.class, () -> Interfaces.nameToIndex("much-too-long-name"));
        assertThrows(IllegalArgumentException.class, () -> Interfaces.indexToName(0));
        assertThrows(IllegalArgumentException.class, () -> Interfaces.indexToName(99999));
    }
}
