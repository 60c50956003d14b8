import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import java.time.Duration;

/**
 * Run by ModulePathTest with selectors4j on the module path: proves the module works as a named
 * module (jnr-ffi's generated bindings included) while its internal package stays unexported.
 */
public class ModuleSmoke {
    public static void main(String[] args) throws Exception {
        Module module = BaseSelector.class.getModule();
        System.out.println("module=" + module.getName());
        System.out.println("internal exported=" + module.isExported("io.github.selectors4j.internal"));
        try (BaseSelector selector = DefaultSelector.open(); EventFd events = EventFd.open()) {
            selector.register(events, BaseSelector.EVENT_READ);
            events.write(1);
            System.out.println("backend=" + selector.backend().displayName());
            System.out.println("ready=" + selector.select(Duration.ofSeconds(5)).size());
        }
    }
}
