package bot

import (
	"testing"
	"time"
)

// An album counts once however many items it has; separate messages and
// separate albums count one each; a new window starts over.
func TestFloodCounter_AlbumCountsOnce(t *testing.T) {
	var c floodCounter
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	const w = 20 * time.Second
	for range 10 {
		if n := c.count(42, "album-1", now, w); n != 1 {
			t.Fatalf("an item of the first album counts %d, want 1", n)
		}
	}
	c.count(42, "", now, w)
	if n := c.count(42, "album-2", now, w); n != 3 {
		t.Fatalf("after a text and a second album the count is %d, want 3", n)
	}
	if n := c.count(42, "", now.Add(w), w); n != 1 {
		t.Fatalf("a new window counts %d, want 1", n)
	}
}
