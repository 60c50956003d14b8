package io.github.selectors4j.reliability;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Io;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.reliability.KernelModel.Kind;
import io.github.selectors4j.reliability.Op.Form;
import io.github.selectors4j.reliability.SelectorModel.Delivery;
import io.github.selectors4j.reliability.SelectorModel.Raw;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.selectors.SelectorBackend;
import io.github.selectors4j.selectors.SelectorKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Runs one sequence on one backend: each step on the real selector over real fds and on the
 * {@link SelectorModel}, rendering both results in one format (followed by the registrations after
 * the step), so that the two can be compared as strings.
 */
final class Lockstep implements AutoCloseable {

    /** What the model expected of a step and what the real selector did. */
    record Step(String expected, String actual) {
        boolean agrees() {
            return expected.equals(actual);
        }
    }

    private final SelectorBackend backend;
    private final Endpoints endpoints;
    private final BaseSelector selector;
    private final KernelModel kernel = new KernelModel();
    private final SelectorModel model;
    private final Differential.Counts counts;
    private final ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private final ByteBuffer drain = ByteBuffer.allocateDirect(4096);
    private int index;

    Lockstep(SelectorBackend backend, Differential.Counts counts) throws IOException {
        this.backend = backend;
        this.counts = counts;
        this.model = new SelectorModel(backend, kernel);
        this.selector = backend.open();
        try {
            this.endpoints = Endpoints.open();
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    SelectorBackend backend() {
        return backend;
    }

    /** Whether the model still predicts this run (see {@link SelectorModel#isDefined()}). */
    boolean isDefined() {
        return model.isDefined();
    }

    /** Runs the next step of the sequence. */
    Step step(Op op) {
        String data = "s" + index++;
        String[] outcome = run(op, data);
        return new Step(outcome[0] + " | " + model.renderMap(), outcome[1] + " | " + renderMap());
    }

    private String[] run(Op op, String data) {
        if (op instanceof Op.Register r) {
            return pair(model.register(r.ep(), r.events(), r.form(), data),
                    real(() -> render(selector.register(fileobj(r.ep(), r.form()), r.events(), data))));
        }
        if (op instanceof Op.Modify m) {
            String newData = m.newData() ? data : model.currentData(m.ep());
            String expected = model.modify(m.ep(), m.events(), m.form(), newData);
            return pair(expected, real(() -> {
                SelectorKey before = selector.getMap().get(endpoints.number(m.ep()));
                SelectorKey after = selector.modify(fileobj(m.ep(), m.form()), m.events(), newData);
                return (after == before ? "same " : "") + render(after);
            }));
        }
        if (op instanceof Op.Unregister u) {
            return pair(model.unregister(u.ep(), u.form()), real(() -> render(selector.unregister(fileobj(u.ep(), u.form())))));
        }
        if (op instanceof Op.GetKey g) {
            return pair(model.getKey(g.ep(), g.form()), real(() -> render(selector.getKey(fileobj(g.ep(), g.form())))));
        }
        if (op instanceof Op.Select) {
            return select();
        }
        if (op instanceof Op.SelectActing s) {
            return selectActing(s, data);
        }
        if (op instanceof Op.Wakeup) {
            selector.wakeup();
            return pair("ok", "ok");
        }
        if (op instanceof Op.CloseSelector) {
            model.close();
            selector.close();
            return pair("ok", "ok");
        }
        return pair("ok", fdOperation(op));
    }

    // ------------------------------------------------------------------ selecting

    private String[] select() {
        counts.selects++;
        String[] error = new String[1];
        String expected;
        if (model.isClosed()) {
            expected = "AlreadyClosedException";
        } else {
            List<Raw> raw = model.wait(error);
            if (raw == null) {
                expected = error[0];
            } else {
                int batch = model.batchGeneration();
                List<Delivery> deliveries = new ArrayList<>();
                for (Raw entry : raw) {
                    Delivery delivery = model.deliverable(entry, batch);
                    if (delivery != null) {
                        deliveries.add(delivery);
                    }
                }
                expected = renderDeliveries(deliveries);
            }
        }
        return pair(expected, real(() -> {
            List<ReadyKey> ready = selector.select(Duration.ZERO);
            counts.deliveries += ready.size();
            List<String> rendered = new ArrayList<>();
            for (ReadyKey key : ready) {
                rendered.add(renderReady(key.key(), key.events()));
            }
            return "ready" + sorted(rendered);
        }));
    }

    /**
     * The callback form, whose handler acts on the target at the first key it is given. The order
     * of a batch is the backend's, so the model is told which key came first (it must be one the
     * model expects), applies the action after it, and predicts the rest of the batch as a set.
     */
    private String[] selectActing(Op.SelectActing s, String data) {
        counts.selects++;
        List<String> delivered = new ArrayList<>();
        String[] actionOutcome = new String[1];
        String actual = real(() -> {
            selector.select(Duration.ZERO, (key, events) -> {
                delivered.add(renderReady(key, events));
                if (actionOutcome[0] == null) {
                    actionOutcome[0] = real(() -> act(s, data));
                }
            });
            counts.deliveries += delivered.size();
            return renderBatch(delivered, actionOutcome[0]);
        });
        if (model.isClosed()) {
            return pair("AlreadyClosedException", actual);
        }
        String[] error = new String[1];
        List<Raw> raw = model.wait(error);
        if (raw == null) {
            return pair(error[0], actual);
        }
        int batch = model.batchGeneration();
        List<Delivery> before = new ArrayList<>();
        for (Raw entry : raw) {
            Delivery delivery = model.deliverable(entry, batch);
            if (delivery != null) {
                before.add(delivery);
            }
        }
        if (before.isEmpty()) {
            return pair(renderBatch(List.of(), null), actual);
        }
        Delivery first = null;
        for (Delivery candidate : before) {
            if (!delivered.isEmpty() && candidate.render().equals(delivered.get(0))) {
                first = candidate;
            }
        }
        if (first == null) {
            return pair("first of " + renderDeliveries(before), actual);
        }
        String modelAction = modelAct(s, data);
        List<String> expected = new ArrayList<>(List.of(first.render()));
        List<String> rest = new ArrayList<>();
        for (Raw entry : raw) {
            if (entry.ep() == first.ep()
                    && (entry.generation() == SelectorModel.ANY_GENERATION || entry.generation() == first.key().generation())) {
                continue;
            }
            Delivery delivery = model.deliverable(entry, batch);
            if (delivery != null) {
                rest.add(delivery.render());
            }
        }
        expected.addAll(sorted(rest));
        return pair(renderBatch(expected, modelAction), actual);
    }

    private static String renderBatch(List<String> delivered, String action) {
        if (delivered.isEmpty()) {
            return "batch[]";
        }
        List<String> rest = sorted(delivered.subList(1, delivered.size()));
        return "batch[first " + delivered.get(0) + ", then " + action + ", rest " + rest + "]";
    }

    /** The handler's action, on the real selector. */
    private String act(Op.SelectActing s, String data) throws IOException {
        int target = s.target();
        return switch (s.action()) {
            case UNREGISTER -> "unregister " + render(selector.unregister(endpoints.number(target)));
            case CLOSE -> {
                closeFd(target);
                yield "closed";
            }
            case MODIFY -> "modify " + render(selector.modify(endpoints.number(target), s.events(), data));
            case REREGISTER -> {
                selector.unregister(endpoints.number(target));
                yield "reregister " + render(selector.register(endpoints.number(target), s.events(), data));
            }
        };
    }

    /** The same action, on the model; an error reads as the real call's exception does. */
    private String modelAct(Op.SelectActing s, String data) {
        int target = s.target();
        return switch (s.action()) {
            case UNREGISTER -> labelled("unregister", model.unregister(target, Form.INT));
            case CLOSE -> {
                model.numberChanging(target);
                kernel.close(target);
                yield "closed";
            }
            case MODIFY -> labelled("modify", model.modify(target, s.events(), Form.INT, data));
            case REREGISTER -> {
                String unregistered = model.unregister(target, Form.INT);
                yield isKey(unregistered) ? labelled("reregister", model.register(target, s.events(), Form.INT, data)) : unregistered;
            }
        };
    }

    private static boolean isKey(String outcome) {
        return outcome.startsWith("key(");
    }

    private static String labelled(String label, String outcome) {
        return isKey(outcome) ? label + " " + outcome : outcome;
    }

    // ------------------------------------------------------------------ the fds

    /** Does to the real fds what the kernel model says applies, after applying it to the model. */
    private String fdOperation(Op op) {
        try {
            if (op instanceof Op.Write w) {
                Kind kind = kernel.writable(w.ep());
                if (kind != null) {
                    kernel.write(w.ep());
                    one.clear();
                    if (kind == Kind.EVENTFD) {
                        one.putLong(0, 1L);
                    } else {
                        one.limit(1);
                    }
                    if (Io.write(endpoints.number(w.ep()), one) == 0) {
                        return "the write would block";
                    }
                }
            } else if (op instanceof Op.Drain d) {
                if (kernel.drainable(d.ep()) != null) {
                    kernel.drain(d.ep());
                    drainReal(endpoints.number(d.ep()));
                }
            } else if (op instanceof Op.Shutdown s) {
                if (kernel.canShutdown(s.ep())) {
                    kernel.shutdown(s.ep());
                    NativeSocket.fromFd(endpoints.number(s.ep())).shutdown(NativeSocket.SHUT_WR);
                }
            } else if (op instanceof Op.CloseFd c) {
                model.numberChanging(c.ep());
                closeFd(c.ep());
                kernel.close(c.ep());
            } else if (op instanceof Op.Dup2 d) {
                if (kernel.canDup2(d.src(), d.dst())) {
                    model.numberChanging(d.dst());
                    kernel.dup2(d.src(), d.dst());
                    Fds.dup2(endpoints.number(d.src()), endpoints.number(d.dst()));
                    counts.dup2s++;
                }
            } else {
                throw new IllegalArgumentException("not an fd operation: " + op);
            }
            return "ok";
        } catch (Exception e) {
            return describe(e);
        }
    }

    private void closeFd(int ep) {
        if (!kernel.isClosed(ep)) {
            counts.fdCloses++;
        }
        try {
            endpoints.close(ep);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads until nothing is left: EAGAIN, end of stream, or a reset (a peer closed with unread data). */
    private void drainReal(int fd) throws ErrnoException {
        try {
            while (Io.read(fd, drain.clear()) > 0) {
                // Discard.
            }
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ECONNRESET) {
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ rendering

    private Object fileobj(int ep, Form form) {
        return form == Form.INT ? Integer.valueOf(endpoints.number(ep)) : endpoints.object(ep);
    }

    private String render(SelectorKey key) {
        int ep = endpoints.endpointOf(key.fd());
        String form = key.fileobj() instanceof Integer number ? (number == key.fd() ? "INT" : "INT " + number)
                : ep >= 0 && key.fileobj() == endpoints.object(ep) ? "OBJ" : "OBJ " + key.fileobj();
        return "key(" + (ep >= 0 ? Integer.toString(ep) : "fd " + key.fd()) + ", " + form + ", " + Op.mask(key.events())
                + ", " + key.data() + ")";
    }

    private String renderReady(SelectorKey key, int events) {
        int ep = endpoints.endpointOf(key.fd());
        return (ep >= 0 ? Integer.toString(ep) : "fd " + key.fd()) + ":" + Op.mask(events) + "(" + key.data() + ")";
    }

    private static String renderDeliveries(List<Delivery> deliveries) {
        List<String> rendered = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            rendered.add(delivery.render());
        }
        return "ready" + sorted(rendered);
    }

    private String renderMap() {
        if (selector.isClosed()) {
            return "closed";
        }
        StringBuilder out = new StringBuilder("map{");
        List<Map.Entry<Integer, SelectorKey>> entries = new ArrayList<>(selector.getMap().entrySet());
        entries.sort(Comparator.comparingInt(entry -> endpoints.endpointOf(entry.getKey())));
        for (Map.Entry<Integer, SelectorKey> entry : entries) {
            out.append(out.length() > 4 ? ", " : "").append(render(entry.getValue()));
            if (entry.getKey() != entry.getValue().fd()) {
                out.append(" under fd ").append(entry.getKey());
            }
        }
        return out.append('}').toString();
    }

    private static List<String> sorted(List<String> items) {
        List<String> copy = new ArrayList<>(items);
        copy.sort(null);
        return copy;
    }

    private static String[] pair(String expected, String actual) {
        return new String[] {expected, actual};
    }

    /** A call on the real selector, rendered: its result, or the exception it threw. */
    private interface RealCall {
        String call() throws Exception;
    }

    private String real(RealCall call) {
        try {
            return call.call();
        } catch (Exception e) {
            counts.errors++;
            return describe(e);
        }
    }

    /** An exception as the model names it: the class, and the errno symbol where there is one. */
    static String describe(Throwable e) {
        if (e instanceof ErrnoException errno) {
            return "ErrnoException(" + errno.errnoName() + ")";
        }
        if (e instanceof UncheckedIOException unchecked && unchecked.getCause() instanceof ErrnoException errno) {
            return "UncheckedIOException(" + errno.errnoName() + ")";
        }
        return e.getClass().getSimpleName();
    }

    /** Closes the selector, then every endpoint still open. */
    @Override
    public void close() {
        try {
            selector.close();
        } finally {
            endpoints.close();
        }
    }
}
