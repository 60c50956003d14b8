package io.github.selectors4j.reactor;

import java.util.Arrays;

/**
 * The loop's timers: a binary min-heap ordered by deadline, then by scheduling order, so that
 * timers with equal deadlines fire in the order they were scheduled.
 *
 * <p>Cancelled timers are left in place (cancelling is then O(1)) and skipped when they come due;
 * when they make up more than half of a large heap, the heap is rebuilt without them, so a program
 * that schedules and cancels many timeouts does not grow the heap without bound.
 */
final class TimerQueue {

    private static final int PURGE_MINIMUM = 512;

    private Handle[] heap = new Handle[64];
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
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = timer;
        timer.heapIndex = size;
        siftUp(size++);
    }

    /** The next timer due, cancelled or not, without removing it; null if empty. */
    Handle peek() {
        return size == 0 ? null : heap[0];
    }

    Handle poll() {
        Handle first = heap[0];
        Handle last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            heap[0] = last;
            last.heapIndex = 0;
            siftDown(0);
        }
        first.heapIndex = -1;
        if (first.cancelled) {
            cancelled--;
        }
        return first;
    }

    /** Counts a cancellation of a timer in the heap, and purges when cancelled timers pile up. */
    void cancelled(Handle timer) {
        if (timer.heapIndex < 0) {
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
                timer.heapIndex = -1;
            } else {
                heap[kept++] = timer;
            }
        }
        Arrays.fill(heap, kept, size, null);
        size = kept;
        cancelled = 0;
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = i;
        }
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    void clear() {
        // Handles outlive the queue: a later cancel() must not count them as cancelled here.
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
        }
        Arrays.fill(heap, 0, size, null);
        size = 0;
        cancelled = 0;
    }

    private void siftUp(int index) {
        Handle timer = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (!timer.before(heap[parent])) {
                break;
            }
            heap[index] = heap[parent];
            heap[index].heapIndex = index;
            index = parent;
        }
        heap[index] = timer;
        timer.heapIndex = index;
    }

    private void siftDown(int index) {
        Handle timer = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) {
                child = right;
            }
            if (!heap[child].before(timer)) {
                break;
            }
            heap[index] = heap[child];
            heap[index].heapIndex = index;
            index = child;
        }
        heap[index] = timer;
        timer.heapIndex = index;
    }
}
