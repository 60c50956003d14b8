package io.github.selectors4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.FileDescriptorLike;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KEvent} as a value: construction, equality, Python's ordering, a readable form. */
class KEventTest {

    @Test
    void defaultsFollowPython() {
        FileDescriptorLike fileobj = () -> 7;
        assertEquals(new KEvent(7, Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_ADD, 0, 0, 0), KEvent.of(fileobj));
        assertEquals(new KEvent(3, Kqueue.KQ_FILTER_WRITE, Kqueue.KQ_EV_DELETE, 0, 0, 0),
                KEvent.of(3, Kqueue.KQ_FILTER_WRITE, Kqueue.KQ_EV_DELETE));
    }

    @Test
    void equalityCoversAllSixFields() {
        KEvent base = new KEvent(1, -1, 1, 2, 3, 4);
        assertEquals(base, new KEvent(1, -1, 1, 2, 3, 4));
        assertEquals(base.hashCode(), new KEvent(1, -1, 1, 2, 3, 4).hashCode());
        for (KEvent other : List.of(new KEvent(9, -1, 1, 2, 3, 4), new KEvent(1, -2, 1, 2, 3, 4), new KEvent(1, -1, 9, 2, 3, 4),
                new KEvent(1, -1, 1, 9, 3, 4), new KEvent(1, -1, 1, 2, 9, 4), new KEvent(1, -1, 1, 2, 3, 9))) {
            assertNotEquals(base, other);
        }
    }

    @Test
    void orderingComparesTheFieldsInTurnWithTheirCTypes() {
        List<KEvent> events = new ArrayList<>(List.of(
                new KEvent(-1L, 0, 0, 0, 0, 0),           // uintptr_t max: last
                new KEvent(2, -1, 0, 0, 0, 0),
                new KEvent(2, -2, 0, 0, 0, 0),           // filters are signed
                new KEvent(2, -1, 0x8000, 0, 0, 0),      // flags are unsigned
                new KEvent(2, -1, 0, 0, -5, 0),          // data is signed
                new KEvent(1, 0, 0, 0, 0, 0)));
        Collections.sort(events);
        assertEquals(List.of(
                new KEvent(1, 0, 0, 0, 0, 0),
                new KEvent(2, -2, 0, 0, 0, 0),
                new KEvent(2, -1, 0, 0, -5, 0),
                new KEvent(2, -1, 0, 0, 0, 0),
                new KEvent(2, -1, 0x8000, 0, 0, 0),
                new KEvent(-1L, 0, 0, 0, 0, 0)), events);
        assertTrue(new KEvent(1, 0, 0, 0, 0, -1L).compareTo(new KEvent(1, 0, 0, 0, 0, 1)) > 0, "udata is unsigned");
    }

    @Test
    void toStringNamesFiltersAndFlags() {
        KEvent event = new KEvent(5, Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_ADD | Kqueue.KQ_EV_CLEAR, 0, 12, 0xbeef);
        assertEquals("KEvent[ident=5, filter=READ, flags=ADD|CLEAR, fflags=0x0, data=12, udata=0xbeef]", event.toString());
        assertEquals("KEvent[ident=18446744073709551615, filter=-99, flags=0, fflags=0x1000000, data=-1, udata=0x0]",
                new KEvent(-1L, -99, 0, Kqueue.KQ_NOTE_TRIGGER, -1, 0).toString());
    }
}
