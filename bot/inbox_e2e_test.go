package bot_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/emulator"
)

// TestInbox_OrderPerChatWithManyWorkers sends interleaved numbered
// messages from several chats and checks each chat's were handled one at
// a time, in order, while chats ran in parallel.
func TestInbox_OrderPerChatWithManyWorkers(t *testing.T) {
	const chats, perChat = 6, 15
	var mu sync.Mutex
	seen := map[int64][]int{}
	running := map[int64]bool{}
	parallel, overlap := 0, false
	active := 0
	route := func(rt *chat.Router) {
		rt.Command("seq", func(ctx context.Context, r *chat.Request) error {
			n, _ := strconv.Atoi(r.Command.Args)
			mu.Lock()
			overlap = overlap || running[r.ChatID]
			running[r.ChatID] = true
			active++
			parallel = max(parallel, active)
			mu.Unlock()
			time.Sleep(3 * time.Millisecond)
			mu.Lock()
			seen[r.ChatID] = append(seen[r.ChatID], n)
			running[r.ChatID] = false
			active--
			mu.Unlock()
			return nil
		})
	}
	r := bottest.New(t, bottest.Options{Config: bot.Config{Workers: 4}, Before: withRoutes(route)})
	for i := 0; i < perChat; i++ {
		for c := int64(0); c < chats; c++ {
			r.Emu.SendText(emulator.User{ID: 8000 + c, FirstName: "U"}, fmt.Sprintf("/seq %d", i))
		}
	}
	deadline := time.Now().Add(bottest.Wait)
	for {
		mu.Lock()
		done := 0
		for _, s := range seen {
			done += len(s)
		}
		mu.Unlock()
		if done == chats*perChat {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("handled %d of %d", done, chats*perChat)
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if overlap {
		t.Fatal("two updates of one chat were handled at once")
	}
	if parallel < 2 {
		t.Fatalf("at most %d update handled at once; chats should run in parallel", parallel)
	}
	for chat, s := range seen {
		for i, n := range s {
			if n != i {
				t.Fatalf("chat %d handled %v, want 0..%d in order", chat, s, perChat-1)
			}
		}
	}
}

// TestInbox_PanicIsRecovered: a panicking handler neither kills the bot
// nor blocks the chat for good; the update is retried, then set aside.
func TestInbox_PanicIsRecovered(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	route := func(rt *chat.Router) {
		rt.Command("panik", func(context.Context, *chat.Request) error {
			mu.Lock()
			calls++
			mu.Unlock()
			var m map[string]int
			m["boom"]++ // nil map: panics
			return nil
		})
	}
	r := bottest.New(t, bottest.Options{Config: bot.Config{MaxAttempts: 2}, Before: withRoutes(route)})
	u := emulator.User{ID: 8100, FirstName: "P"}
	id := r.Emu.SendText(u, "/panik")
	r.Emu.SendText(u, "/bantuan") // waits behind the panicking update, then runs
	r.WaitText(u.ID, "Cara memakai")
	var status string
	var attempts int
	if err := r.DB.QueryRow("SELECT status, attempts FROM bot_updates WHERE update_id = $1", id).Scan(&status, &attempts); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if status != "failed" || attempts != 2 || calls != 2 {
		t.Fatalf("panicking update: status %s after %d attempts (%d calls), want failed after 2", status, attempts, calls)
	}
}
