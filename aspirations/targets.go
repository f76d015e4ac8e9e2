package aspirations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// moderatorChats are where a village's tickets are posted: each covering
// moderator's group, in the forum topic it was linked in, or their private
// chat when they have none.
func (s *Service) moderatorChats(ctx context.Context, village region.Code) ([]staff.Destination, error) {
	return s.staff.ModeratorChatsCovering(ctx, village)
}

// operatorChats are the private chats of operators covering village.
func (s *Service) operatorChats(ctx context.Context, village region.Code) ([]staff.Destination, error) {
	ids, err := s.staff.OperatorsCovering(ctx, village)
	return staff.Private(ids), err
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

// postPlan is who gets a new ticket's post: the moderators covering its
// village; with no moderator there, the operators, so nobody's aspiration
// waits unseen.
type postPlan struct {
	place    place
	chats    []staff.Destination
	operator bool
}

func (s *Service) newPostPlan(ctx context.Context, village region.Code) (postPlan, error) {
	var p postPlan
	var err error
	if p.place, err = placeOf(ctx, s.db, village); err != nil {
		return p, err
	}
	if p.place.District == "" && p.place.Village == string(village) {
		return p, fmt.Errorf("village %s: %w", village, ErrNoVillage)
	}
	if p.chats, err = s.moderatorChats(ctx, village); err != nil {
		return p, err
	}
	if len(p.chats) == 0 {
		p.operator = true
		if p.chats, err = s.operatorChats(ctx, village); err != nil {
			return p, err
		}
	}
	if len(p.chats) == 0 {
		s.log.Warn("aspiration has nobody to review it", "village", string(village))
	}
	return p, nil
}

func (p postPlan) items(s *Service, t Ticket) []outboxItem {
	return withAttachment(t, kindPost, p.chats, s.newPost(t, p.place, p.operator))
}

// withAttachment is msg, followed by the ticket's photo or document, for
// each destination, in its forum topic.
func withAttachment(t Ticket, kind string, dests []staff.Destination, msg message.Message) []outboxItem {
	att, hasAtt := attachmentMessage(t)
	var items []outboxItem
	for _, d := range dests {
		msg.ThreadID, att.ThreadID = d.ThreadID, d.ThreadID
		items = append(items, outboxItem{ticketID: t.ID, kind: kind, chatID: d.ChatID, msg: msg})
		if hasAtt {
			items = append(items, outboxItem{ticketID: t.ID, kind: kind, chatID: d.ChatID, msg: att})
		}
	}
	return items
}
