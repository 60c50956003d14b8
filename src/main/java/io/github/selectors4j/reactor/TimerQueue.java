package io.github.selectors4j.reactor;

import java.util.Arrays;

/**
 * The loop's timers: a binary min-heap ordered by deadline, then by scheduling order, so that
 * timers with equal deadlines fire in the order they were scheduled.
 *
 * <p>The keys live in primitive arrays beside the heap of handles ({@code deadlines[i]} and
 * {@code sequences[i]} belong to {@code heap[i]}): sifting compares array elements that sit next
 * to each other in memory instead of following a pointer to each handle, which with a million
 * pending timers is most of the cost of taking one out. Moving an element touches only the three
 * arrays; the handle itself is not written to.
 *
 * <p>Cancelled timers are left in place (cancelling is then O(1)) and skipped when they come due;
 * when they make up more than half of a large heap, the heap is rebuilt without them, so a program
 * that schedules and cancels many timeouts does not grow the heap without bound.
 */
final class TimerQueue {

    private static final int PURGE_MINIMUM = 512;
    private static final int INITIAL_CAPACITY = 64;

    private Handle[] heap = new Handle[INITIAL_CAPACITY];
    private long[] deadlines = new long[INITIAL_CAPACITY];
    private long[] sequences = new long[INITIAL_CAPACITY];
    private int size;
    private int cancelled;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(Handle timer) {
        if (size == heap.length) {
            int capacity = size * 2;
            heap = Arrays.copyOf(heap, capacity);
            deadlines = Arrays.copyOf(deadlines, capacity);
            sequences = Arrays.copyOf(sequences, capacity);
        }
        timer.inQueue = true;
        siftUp(size++, timer, timer.deadline, timer.sequence);
    }

    /** The next timer due, cancelled or not, without removing it; null if empty. */
    Handle peek() {
        return size == 0 ? null : heap[0];
    }

    /** The deadline of {@link #peek()}; only when not empty. */
    long firstDeadline() {
        return deadlines[0];
    }

    Handle poll() {
        Handle first = heap[0];
        int last = --size;
        Handle moved = heap[last];
        long movedDeadline = deadlines[last];
        long movedSequence = sequences[last];
        heap[last] = null;
        if (last > 0) {
            siftDown(0, moved, movedDeadline, movedSequence);
        }
        first.inQueue = false;
        if (first.cancelled) {
            cancelled--;
        }
        return first;
    }

    /** Counts a cancellation of a timer in the heap, and purges when cancelled timers pile up. */
    void cancelled(Handle timer) {
        if (!timer.inQueue) {
            return;
        }
        cancelled++;
        if (size >= PURGE_MINIMUM && cancelled * 2 > size) {
            purge();
        }
    }

    int cancelledCount() {
        return cancelled;
    }

    private void purge() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Handle timer = heap[i];
            if (timer.cancelled) {
                timer.inQueue = false;
            } else {
                heap[kept] = timer;
                deadlines[kept] = deadlines[i];
                sequences[kept] = sequences[i];
                kept++;
            }
        }
        Arrays.fill(heap, kept, size, null);
        size = kept;
        cancelled = 0;
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i, heap[i], deadlines[i], sequences[i]);
        }
    }

    void clear() {
        // Handles outlive the queue: a later cancel() must not count them as cancelled here.
        for (int i = 0; i < size; i++) {
            heap[i].inQueue = false;
        }
        Arrays.fill(heap, 0, size, null);
        size = 0;
        cancelled = 0;
    }

    /** Due first: earlier deadline (on the wrapping nanosecond clock), then earlier scheduling. */
    private static boolean before(long deadline, long sequence, long otherDeadline, long otherSequence) {
        return deadline != otherDeadline ? deadline - otherDeadline < 0 : sequence < otherSequence;
    }

    /** Places {@code timer}, whose keys are given, at or above {@code index}. */
    private void siftUp(int index, Handle timer, long deadline, long sequence) {
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (!before(deadline, sequence, deadlines[parent], sequences[parent])) {
                break;
            }
            set(index, heap[parent], deadlines[parent], sequences[parent]);
            index = parent;
        }
        set(index, timer, deadline, sequence);
    }

    /** Places {@code timer}, whose keys are given, at or below {@code index}. */
    private void siftDown(int index, Handle timer, long deadline, long sequence) {
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && before(deadlines[right], sequences[right], deadlines[child], sequences[child])) {
                child = right;
            }
            if (!before(deadlines[child], sequences[child], deadline, sequence)) {
                break;
            }
            set(index, heap[child], deadlines[child], sequences[child]);
            index = child;
        }
        set(index, timer, deadline, sequence);
    }

    private void set(int index, Handle timer, long deadline, long sequence) {
        heap[index] = timer;
        deadlines[index] = deadline;
        sequences[index] = sequence;
    }
}
