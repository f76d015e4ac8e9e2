package emulator

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	terminalHint = "Ketik pesan lalu Enter. Ketik nomor untuk menekan tombol (mis. 1). Ctrl-D untuk keluar.\n" +
		"(Type a message and press Enter; type a number to press a button; Ctrl-D quits.)\n"
	replyWait   = 3 * time.Second        // how long to wait for the bot's first answer before reading on
	replySettle = 400 * time.Millisecond // quiet time after which the answer counts as complete
)

// RunTerminal lets a person chat with the bot as user through the
// emulator's control API at baseURL: typed lines are sent as messages, the
// bot's messages (and their edits) are printed with numbered inline
// buttons, and typing a number presses that button. It returns nil at the
// end of input or when ctx ends.
func RunTerminal(ctx context.Context, baseURL string, user User, in io.Reader, out io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	var polling sync.WaitGroup
	defer polling.Wait() // nothing is printed after RunTerminal returns
	defer cancel()
	t := &terminal{base: strings.TrimRight(baseURL, "/"), user: user, out: out, changed: make(chan struct{}), client: &http.Client{Timeout: 40 * time.Second}}
	t.printf("%s", terminalHint)
	polling.Add(1)
	go func() {
		defer polling.Done()
		t.pollLoop(ctx)
	}()

	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				return nil
			}
			t.handleLine(ctx, strings.TrimSpace(line))
		}
	}
}

// keyButton is a numbered button of the current keyboard.
type keyButton struct {
	messageID int
	Button
}

type terminal struct {
	base   string
	user   User
	out    io.Writer
	client *http.Client

	mu       sync.Mutex
	rev      int64
	keyMsg   int // message whose keyboard is numbered
	keyboard []keyButton
	changed  chan struct{} // closed and replaced when a message is printed
}

func (t *terminal) printf(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.out, format, args...)
}

// handleLine sends a message or presses a button, then waits for the answer.
func (t *terminal) handleLine(ctx context.Context, line string) {
	if line == "" {
		return
	}
	t.mu.Lock()
	wake := t.changed
	t.mu.Unlock()
	if n, err := strconv.Atoi(line); err == nil && n > 0 {
		b, ok := t.button(n)
		if !ok {
			t.printf("   (tidak ada tombol %d / no button %d)\n", n, n)
			return
		}
		if b.URL != "" && b.CallbackData == "" {
			t.printf("   (tautan / link: %s)\n", b.URL)
			return
		}
		t.printf("   » %s\n", b.Text)
		if err := t.post(ctx, "/_emu/press", map[string]any{"user_id": t.user.ID, "first_name": t.user.FirstName, "message_id": b.messageID, "data": b.CallbackData}); err != nil {
			t.printf("   (gagal menekan tombol / press failed: %v)\n", err)
			return
		}
	} else if err := t.post(ctx, "/_emu/send", map[string]any{"user_id": t.user.ID, "first_name": t.user.FirstName, "last_name": t.user.LastName, "username": t.user.Username, "text": line}); err != nil {
		t.printf("   (gagal mengirim / send failed: %v)\n", err)
		return
	}
	t.waitAnswer(ctx, wake)
}

// waitAnswer waits for the bot's first message after wake (up to
// replyWait) and then until it has been quiet for replySettle, so scripted
// input presses the buttons of the answer it was written for.
func (t *terminal) waitAnswer(ctx context.Context, wake chan struct{}) {
	limit := replyWait
	for {
		select {
		case <-wake:
			t.mu.Lock()
			wake = t.changed
			t.mu.Unlock()
			limit = replySettle
		case <-time.After(limit):
			return
		case <-ctx.Done():
			return
		}
	}
}

func (t *terminal) button(n int) (keyButton, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n > len(t.keyboard) {
		return keyButton{}, false
	}
	return t.keyboard[n-1], true
}

// post sends a control request, retrying briefly while the emulator starts.
func (t *terminal) post(ctx context.Context, path string, body map[string]any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encoding request: %w", err)
	}
	var lastErr error
	for range 20 {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+path, bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("building request: %w", err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := t.client.Do(req)
		if err == nil {
			msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("emulator answered %s: %s", resp.Status, strings.TrimSpace(string(msg)))
			}
			return nil
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return lastErr
}

// pollLoop long-polls the bot's messages and prints new ones and edits.
func (t *terminal) pollLoop(ctx context.Context) {
	for ctx.Err() == nil {
		msgs, err := t.fetch(ctx)
		if err != nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(500 * time.Millisecond):
			}
			continue
		}
		for _, m := range msgs {
			t.show(m)
		}
	}
}

func (t *terminal) fetch(ctx context.Context) ([]Sent, error) {
	t.mu.Lock()
	since := t.rev
	t.mu.Unlock()
	q := url.Values{"chat_id": {strconv.FormatInt(t.user.ID, 10)}, "since": {strconv.FormatInt(since, 10)}, "wait": {"25"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.base+"/_emu/messages?"+q.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("building request: %w", err)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("polling messages: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("polling messages: %s", resp.Status)
	}
	var msgs []Sent
	if err := json.NewDecoder(resp.Body).Decode(&msgs); err != nil {
		return nil, fmt.Errorf("decoding messages: %w", err)
	}
	return msgs, nil
}

// show prints one bot message (new or edited) and numbers its buttons.
func (t *terminal) show(m Sent) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if m.Rev <= t.rev {
		return
	}
	t.rev = m.Rev
	var b strings.Builder
	label := "🤖 "
	if m.Edits > 0 {
		label = "🤖 (diubah / edited) "
	}
	switch {
	case m.PhotoFileID != "":
		label += "[foto] "
	case m.DocumentFileID != "":
		label += "[dokumen] "
	}
	text := strings.ReplaceAll(stripHTML(m.Text), "\n", "\n   ")
	fmt.Fprintf(&b, "\n%s%s\n", label, text)
	if len(m.Buttons) > 0 {
		t.keyMsg, t.keyboard = m.MessageID, nil
		for _, row := range m.Buttons {
			b.WriteString("  ")
			for _, btn := range row {
				if btn.CallbackData == "" && btn.URL != "" {
					fmt.Fprintf(&b, " [🔗 %s: %s]", btn.Text, btn.URL)
					continue
				}
				t.keyboard = append(t.keyboard, keyButton{messageID: m.MessageID, Button: btn})
				fmt.Fprintf(&b, " [%d] %s", len(t.keyboard), btn.Text)
			}
			b.WriteString("\n")
		}
	} else if m.MessageID == t.keyMsg {
		t.keyMsg, t.keyboard = 0, nil
	}
	fmt.Fprint(t.out, b.String())
	close(t.changed)
	t.changed = make(chan struct{})
}
