package io.github.selectors4j.reliability;

/**
 * One step of a differential sequence (see {@link Differential}): a selector call, or something
 * done to the fds under it. Steps name fds by endpoint index (see {@link Endpoints}), never by
 * number, so that one sequence replays on every backend. Each variant prints as the Java call that
 * makes it, so a shrunk failing sequence can be pasted into a regression test as it is printed.
 */
sealed interface Op {

    /** Interest in reading, as {@code BaseSelector.EVENT_READ}. */
    int R = 1;
    /** Interest in writing. */
    int W = 2;
    /** Both. */
    int RW = 3;

    /** How a selector call names the fd: by its number, or through the endpoint's Java object. */
    enum Form { INT, OBJ }

    /** What a handler does during a batch (see {@link SelectActing}). */
    enum Action { UNREGISTER, CLOSE, MODIFY, REREGISTER }

    /** {@code register(fileobj, events, data)}; the data is a token naming the step. */
    record Register(int ep, int events, Form form) implements Op {
        @Override
        public String toString() {
            return "register(" + ep + ", " + mask(events) + ", " + form + ")";
        }
    }

    /** {@code modify(fileobj, events, data)} with a new data token, or the key's current data. */
    record Modify(int ep, int events, Form form, boolean newData) implements Op {
        @Override
        public String toString() {
            return "modify(" + ep + ", " + mask(events) + ", " + form + ", " + newData + ")";
        }
    }

    /** {@code unregister(fileobj)}. */
    record Unregister(int ep, Form form) implements Op {
        @Override
        public String toString() {
            return "unregister(" + ep + ", " + form + ")";
        }
    }

    /** {@code getKey(fileobj)}. */
    record GetKey(int ep, Form form) implements Op {
        @Override
        public String toString() {
            return "getKey(" + ep + ", " + form + ")";
        }
    }

    /** {@code select(Duration.ZERO)}, the list form. */
    record Select() implements Op {
        @Override
        public String toString() {
            return "select()";
        }
    }

    /**
     * The callback form of select, whose handler, at the first ready key it is given, acts on
     * {@code target}: the keys delivered after that must reflect the action (rule 4 of the design:
     * no stale events).
     */
    record SelectActing(int target, Action action, int events) implements Op {
        @Override
        public String toString() {
            return "selectActing(" + target + ", " + action + ", " + mask(events) + ")";
        }
    }

    /** {@code wakeup()}: the next select must still report exactly what is ready. */
    record Wakeup() implements Op {
        @Override
        public String toString() {
            return "wakeup()";
        }
    }

    /** {@code close()} of the selector: every later call but wakeup fails alike. */
    record CloseSelector() implements Op {
        @Override
        public String toString() {
            return "closeSelector()";
        }
    }

    /** Writes to the file the endpoint's number names (an eventfd adds 1, a pipe or socket one byte). */
    record Write(int ep) implements Op {
        @Override
        public String toString() {
            return "write(" + ep + ")";
        }
    }

    /** Reads everything the file the endpoint's number names has to read. */
    record Drain(int ep) implements Op {
        @Override
        public String toString() {
            return "drain(" + ep + ")";
        }
    }

    /** {@code shutdown(SHUT_WR)} of the socket the endpoint's number names. */
    record Shutdown(int ep) implements Op {
        @Override
        public String toString() {
            return "shutdown(" + ep + ")";
        }
    }

    /** Closes the endpoint's Java object, and so its fd number, without telling the selector. */
    record CloseFd(int ep) implements Op {
        @Override
        public String toString() {
            return "closeFd(" + ep + ")";
        }
    }

    /** {@code dup2(number of src, number of dst)}: dst's number now names src's file. */
    record Dup2(int src, int dst) implements Op {
        @Override
        public String toString() {
            return "dup2(" + src + ", " + dst + ")";
        }
    }

    // Factories, named as the variants print, for regression tests that replay a sequence.

    static Op register(int ep, int events, Form form) {
        return new Register(ep, events, form);
    }

    static Op modify(int ep, int events, Form form, boolean newData) {
        return new Modify(ep, events, form, newData);
    }

    static Op unregister(int ep, Form form) {
        return new Unregister(ep, form);
    }

    static Op getKey(int ep, Form form) {
        return new GetKey(ep, form);
    }

    static Op select() {
        return new Select();
    }

    static Op selectActing(int target, Action action, int events) {
        return new SelectActing(target, action, events);
    }

    static Op wakeup() {
        return new Wakeup();
    }

    static Op closeSelector() {
        return new CloseSelector();
    }

    static Op write(int ep) {
        return new Write(ep);
    }

    static Op drain(int ep) {
        return new Drain(ep);
    }

    static Op shutdown(int ep) {
        return new Shutdown(ep);
    }

    static Op closeFd(int ep) {
        return new CloseFd(ep);
    }

    static Op dup2(int src, int dst) {
        return new Dup2(src, dst);
    }

    /** An event mask as the constant names above, or its number if it is not a valid one. */
    static String mask(int events) {
        return switch (events) {
            case R -> "R";
            case W -> "W";
            case RW -> "RW";
            default -> Integer.toString(events);
        };
    }
}
