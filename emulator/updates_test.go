package emulator

import (
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestGetUpdatesKeepsUpdatesUntilALaterOffsetConfirmsThem(t *testing.T) {
	s := NewTestServer(t, Options{})
	a := s.SendText(budi, "satu")
	b := s.SendText(budi, "dua")
	c := s.SendText(budi, "tiga")

	if got := ids(t, call(t, s, "getUpdates", nil)); !slices.Equal(got, []int64{a, b, c}) {
		t.Fatalf("first poll = %v", got)
	}
	if got := ids(t, call(t, s, "getUpdates", nil)); !slices.Equal(got, []int64{a, b, c}) {
		t.Fatalf("unconfirmed updates must come again, got %v", got)
	}
	if s.AckedUpdateID() != 0 || s.PendingUpdates() != 3 {
		t.Fatalf("acked %d pending %d before any offset", s.AckedUpdateID(), s.PendingUpdates())
	}
	got := ids(t, call(t, s, "getUpdates", map[string]string{"offset": strconv.FormatInt(b, 10)}))
	if !slices.Equal(got, []int64{b, c}) || s.AckedUpdateID() != a || s.PendingUpdates() != 2 {
		t.Fatalf("offset=b: got %v acked %d pending %d", got, s.AckedUpdateID(), s.PendingUpdates())
	}
	got = ids(t, call(t, s, "getUpdates", map[string]string{"offset": strconv.FormatInt(c+1, 10), "timeout": "0"}))
	if len(got) != 0 || s.AckedUpdateID() != c || s.PendingUpdates() != 0 {
		t.Fatalf("offset=c+1: got %v acked %d pending %d", got, s.AckedUpdateID(), s.PendingUpdates())
	}
	// an old offset does not bring confirmed updates back
	if got := ids(t, call(t, s, "getUpdates", map[string]string{"offset": "1"})); len(got) != 0 {
		t.Fatalf("confirmed updates came back: %v", got)
	}
}

func TestGetUpdatesLimitNegativeOffsetAndAllowedUpdates(t *testing.T) {
	s := NewTestServer(t, Options{})
	var all []int64
	for i := range 5 {
		all = append(all, s.SendText(budi, "pesan "+strconv.Itoa(i)))
	}
	if got := ids(t, callForm(t, s, "getUpdates", map[string]string{"limit": "2"})); !slices.Equal(got, all[:2]) {
		t.Fatalf("limit 2 = %v", got)
	}
	if got := ids(t, call(t, s, "getUpdates", map[string]string{"offset": "-2"})); !slices.Equal(got, all[3:]) {
		t.Fatalf("offset -2 = %v", got)
	}
	if s.AckedUpdateID() != all[2] {
		t.Fatalf("negative offset forgets the earlier updates; acked %d", s.AckedUpdateID())
	}
	call(t, s, "getUpdates", map[string]string{"offset": strconv.FormatInt(all[4]+1, 10)})

	s.Block(budi) // my_chat_member
	press := s.PressButton(budi, budi.ID, 1, "x")
	got := ids(t, call(t, s, "getUpdates", map[string]string{"allowed_updates": `["callback_query"]`}))
	if !slices.Equal(got, []int64{press}) {
		t.Fatalf("allowed callback_query only: %v", got)
	}
	msg := s.SendText(budi, "lagi")
	// allowed_updates is remembered when the next call leaves it out
	if got := ids(t, call(t, s, "getUpdates", nil)); !slices.Equal(got, []int64{press}) {
		t.Fatalf("remembered allowed_updates: %v (message %d must be dropped)", got, msg)
	}
}

func TestGetUpdatesLongPollWakesOnNewUpdate(t *testing.T) {
	s := NewTestServer(t, Options{})
	res := make(chan []int64, 1)
	go func() { res <- ids(t, call(t, s, "getUpdates", map[string]string{"timeout": "30"})) }()
	time.Sleep(100 * time.Millisecond)
	id := s.SendText(budi, "halo")
	select {
	case got := <-res:
		if !slices.Equal(got, []int64{id}) {
			t.Fatalf("long poll got %v", got)
		}
	case <-time.After(20 * time.Second): // the poll itself would last 30 s
		t.Fatal("long poll did not wake on the new update")
	}
	// an empty long poll returns an empty array after its timeout
	r := call(t, s, "getUpdates", map[string]string{"offset": strconv.FormatInt(id+1, 10), "timeout": "1"})
	if got := ids(t, r); len(got) != 0 || string(r.Result) != "[]" {
		t.Fatalf("empty poll = %s", r.Result)
	}
}

func TestConcurrentGetUpdatesIsAConflict(t *testing.T) {
	s := NewTestServer(t, Options{})
	first := make(chan reply, 1)
	go func() { first <- call(t, s, "getUpdates", map[string]string{"timeout": "3"}) }()
	deadline := time.Now().Add(2 * time.Second)
	for {
		s.mu.Lock()
		polling := s.st.polling
		s.mu.Unlock()
		if polling || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	wantError(t, call(t, s, "getUpdates", nil), 409, "Conflict: terminated by other getUpdates request")
	id := s.SendText(budi, "halo")
	if got := ids(t, <-first); !slices.Equal(got, []int64{id}) {
		t.Fatalf("first poller got %v", got)
	}
	// once the first poll is over, polling works again
	if got := ids(t, call(t, s, "getUpdates", nil)); !slices.Equal(got, []int64{id}) {
		t.Fatalf("next poll got %v", got)
	}
}
