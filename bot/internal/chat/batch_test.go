package chat_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/internal/testenv"
)

func msg(id int, date int, group string, forwarded bool) *models.Update {
	m := &models.Message{ID: id, Date: date, MediaGroupID: group, Chat: models.Chat{ID: 42, Type: models.ChatTypePrivate}}
	if forwarded {
		m.ForwardOrigin = &models.MessageOrigin{Type: models.MessageOriginTypeUser}
	}
	return &models.Update{ID: int64(id), Message: m}
}

func TestRequest_LaterInBatch(t *testing.T) {
	rdb, prefix := testenv.Redis(t)
	store := chat.NewStore(rdb, prefix, 0)
	ctx := context.Background()
	steps := []struct {
		name string
		u    *models.Update
		want bool
	}{
		{"an album's first item", msg(1, 100, "g1", false), false},
		{"its second item", msg(2, 100, "g1", false), true},
		{"another album", msg(3, 101, "g2", false), false},
		{"a plain message", msg(4, 101, "", false), false},
		{"a forward", msg(5, 200, "", true), false},
		{"a forward sent with it", msg(6, 200, "", true), true},
		{"one a second later", msg(7, 201, "", true), true},
		{"a forward a minute later", msg(8, 260, "", true), false},
		{"a forward after the bot answered", msg(10, 260, "", true), false},
	}
	for _, s := range steps {
		r := chat.NewRequest(s.u, nil, store, slog.Default())
		if got := r.LaterInBatch(ctx); got != s.want {
			t.Errorf("%s: LaterInBatch = %v, want %v", s.name, got, s.want)
		}
	}
	// Redis away: every part is answered (an extra answer, never a lost one).
	away := chat.NewStore(nil, prefix, 0)
	for _, u := range []*models.Update{msg(11, 300, "g3", false), msg(12, 300, "g3", false)} {
		if chat.NewRequest(u, nil, away, slog.Default()).LaterInBatch(ctx) {
			t.Errorf("update %d: LaterInBatch with Redis away", u.ID)
		}
	}
}
