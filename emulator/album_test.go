package emulator

import (
	"encoding/json"
	"testing"

	"github.com/go-telegram/bot/models"
)

// polled decodes every pending update the way go-telegram/bot does.
func polled(t *testing.T, s *Server) []models.Update {
	t.Helper()
	var us []models.Update
	if err := json.Unmarshal(call(t, s, "getUpdates", nil).Result, &us); err != nil {
		t.Fatal(err)
	}
	return us
}

func TestServer_SendAlbumAndReplyAlbum(t *testing.T) {
	s := NewTestServer(t, Options{})
	ids := s.SendAlbum(budi, budi.ID, "jalan rusak di gang 3", "", "")
	other := s.ReplyAlbum(budi, budi.ID, 1, "", "")
	us := polled(t, s)
	if len(ids) != 3 || len(other) != 2 || len(us) != 5 {
		t.Fatalf("ids %v and %v, %d updates; want 3, 2 and 5", ids, other, len(us))
	}
	group, files := us[0].Message.MediaGroupID, map[string]bool{}
	for i, u := range us[:3] {
		m := u.Message
		if u.ID != ids[i] || m.MediaGroupID != group || group == "" || len(m.Photo) != 3 {
			t.Fatalf("album item %d = %+v", i, m)
		}
		if want := map[bool]string{true: "jalan rusak di gang 3"}[i == 0]; m.Caption != want {
			t.Errorf("item %d caption %q, want %q (the caption rides on the first)", i, m.Caption, want)
		}
		if i > 0 && m.ID != us[i-1].Message.ID+1 {
			t.Errorf("item %d has message id %d after %d", i, m.ID, us[i-1].Message.ID)
		}
		files[m.Photo[2].FileID] = true
	}
	if len(files) != 3 {
		t.Errorf("album items share files: %v", files)
	}
	if r := us[3].Message.ReplyToMessage; r == nil || r.ID != 1 || us[4].Message.ReplyToMessage == nil {
		t.Errorf("a reply album's items must all reply to message 1: %+v", r)
	}
	if g := us[3].Message.MediaGroupID; g == "" || g == group || us[4].Message.MediaGroupID != g {
		t.Errorf("second album's group %q (first %q, next item %q)", g, group, us[4].Message.MediaGroupID)
	}
}

func TestServer_ForwardMany(t *testing.T) {
	s := NewTestServer(t, Options{})
	ids := s.ForwardMany(budi, "Info Malang", "satu", "dua", "tiga")
	us := polled(t, s)
	if len(ids) != 3 || len(us) != 3 {
		t.Fatalf("ids %v, %d updates", ids, len(us))
	}
	for i, u := range us {
		m := u.Message
		if u.ID != ids[i] || m.ForwardOrigin == nil || m.MediaGroupID != "" || m.Date != us[0].Message.Date {
			t.Fatalf("forward %d = %+v", i, m)
		}
	}
	if us[2].Message.Text != "tiga" {
		t.Errorf("forwards out of order: last is %q", us[2].Message.Text)
	}
}
