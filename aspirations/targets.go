package aspirations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// ancestors is code and every prefix above it, as text for scope = ANY.
func ancestors(c region.Code) []string {
	var out []string
	for ; c != ""; c = c.Parent() {
		out = append(out, string(c))
	}
	return out
}

const sqlModeratorChats = `
SELECT DISTINCT COALESCE(group_chat_id, telegram_id) FROM moderators WHERE scope = ANY($1)`

// moderatorChats are the chats where a village's tickets are posted: each
// covering moderator's group, or their private chat when they have none.
func moderatorChats(ctx context.Context, q sqlx.QueryerContext, village region.Code) ([]int64, error) {
	var chats []int64
	if err := sqlx.SelectContext(ctx, q, &chats, sqlModeratorChats, pqStrings(ancestors(village))); err != nil {
		return nil, fmt.Errorf("finding moderators: %w", err)
	}
	return chats, nil
}

// operatorChats are the private chats of operators covering village.
func (s *Service) operatorChats(ctx context.Context, village region.Code) ([]int64, error) {
	if s.cfg.Operators == nil {
		return nil, nil
	}
	ids, err := s.cfg.Operators.OperatorsCovering(ctx, village)
	if err != nil {
		return nil, fmt.Errorf("finding operators: %w", err)
	}
	return ids, nil
}

const sqlPlace = `
SELECT v.name AS village, COALESCE(d.name, '') AS district
FROM regions v LEFT JOIN regions d ON d.code = v.parent_code WHERE v.code = $1`

func placeOf(ctx context.Context, q sqlx.QueryerContext, village region.Code) (place, error) {
	var p place
	err := sqlx.GetContext(ctx, q, &p, sqlPlace, string(village))
	if errors.Is(err, sql.ErrNoRows) {
		return place{Village: string(village)}, nil
	}
	if err != nil {
		return p, fmt.Errorf("reading region names: %w", err)
	}
	return p, nil
}

// queueNewPost queues a new ticket's post to the moderators covering its
// village; with no moderator there, to the operators, so nobody's
// aspiration waits unseen.
func (s *Service) queueNewPost(ctx context.Context, tx *sqlx.Tx, t Ticket, now time.Time) error {
	p, err := placeOf(ctx, tx, t.VillageCode)
	if err != nil {
		return err
	}
	chats, err := moderatorChats(ctx, tx, t.VillageCode)
	if err != nil {
		return err
	}
	operator := false
	if len(chats) == 0 {
		operator = true
		if chats, err = s.operatorChats(ctx, t.VillageCode); err != nil {
			return err
		}
	}
	if len(chats) == 0 {
		s.log.Warn("aspiration has nobody to review it", "ticket", t.Number, "village", string(t.VillageCode))
	}
	return enqueue(ctx, tx, now, withAttachment(t, kindPost, chats, s.newPost(t, p, operator))...)
}

// withAttachment is msg, followed by the ticket's photo or document, for
// each chat.
func withAttachment(t Ticket, kind string, chats []int64, msg message.Message) []outboxItem {
	att, hasAtt := attachmentMessage(t)
	var items []outboxItem
	for _, c := range chats {
		items = append(items, outboxItem{ticketID: t.ID, kind: kind, chatID: c, msg: msg})
		if hasAtt {
			items = append(items, outboxItem{ticketID: t.ID, kind: kind, chatID: c, msg: att})
		}
	}
	return items
}
