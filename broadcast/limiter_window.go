package broadcast

import (
	"context"
	"sync"
	"time"
)

// sendWindow keeps one process's bulk sends inside Telegram's sliding
// one-second window whatever happens between here and Telegram. A send may
// start only when the send size places before it was answered at least a
// second ago (or never went out). Telegram counted that earlier send
// before answering it and counts this one after it starts, so no second on
// Telegram's side holds more than size of them.
//
// The shared GCRA sets the pace and leaves room for ordinary jitter; the
// window only holds a send back when an answer came late (a stalled
// network, a busy machine), exactly when the pace alone could let two
// sends a window apart arrive too close together.
type sendWindow struct {
	size     int
	mu       sync.Mutex
	answered []time.Time // per slot: when the send last using it was answered
	inFlight []bool      // per slot: that send has not been answered yet
	next     int         // the slot of the next send
	freed    chan struct{}
}

func newSendWindow(size int) *sendWindow {
	return &sendWindow{size: size, answered: make([]time.Time, size), inFlight: make([]bool, size),
		freed: make(chan struct{})}
}

// enter waits until one more send fits and returns the function to call
// once Telegram answered it (or it was never sent). Callers enter one at a
// time (the limiter's gate), so sends take slots in order.
func (w *sendWindow) enter(ctx context.Context) (answered func(), err error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		w.mu.Lock()
		slot := w.next
		if w.inFlight[slot] {
			freed := w.freed
			w.mu.Unlock()
			select {
			case <-freed:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if wait := time.Until(w.answered[slot].Add(time.Second)); wait > 0 {
			w.mu.Unlock()
			if err := sleepCtx(ctx, wait); err != nil {
				return nil, err
			}
			continue
		}
		w.inFlight[slot] = true
		w.next = (slot + 1) % w.size
		w.mu.Unlock()
		var once sync.Once
		return func() { once.Do(func() { w.answer(slot) }) }, nil
	}
}

func (w *sendWindow) answer(slot int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.answered[slot], w.inFlight[slot] = time.Now(), false
	close(w.freed)
	w.freed = make(chan struct{})
}
