package aspirations

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// outboxMaxAttempts bounds how often a row is tried when Telegram's answer
// is not understood or keeps failing (5xx, a timeout, an unknown error):
// with message.Backoff that is about four minutes, after which the row is
// set aside and a ticket's post goes to the next destination, so one dead
// chat never holds its later news, nor a ticket, for long.
const outboxMaxAttempts = 8

const sqlMoveOutbox = `
UPDATE aspiration_outbox SET chat_id = $2, next_at = LEAST(next_at, $3)
WHERE chat_id = $1 AND status = 'pending'`

// MoveChat follows a KIM group that Telegram upgraded to a supergroup
// (the service message's migrate_to_chat_id, or a send refused with it):
// the moderators' link and every post still waiting for the old id now go
// to the new one, at once and in their order. Idempotent.
// Specs: https://core.telegram.org/bots/api#message (migrate_to_chat_id)
func (s *Service) MoveChat(ctx context.Context, from, to int64) error {
	links, err := s.staff.MoveGroup(ctx, from, to)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, sqlMoveOutbox, from, to, s.now())
	if err != nil {
		return fmt.Errorf("moving outbox rows to a supergroup: %w", err)
	}
	rows, _ := res.RowsAffected()
	if links > 0 || rows > 0 {
		s.log.Info("moderator group moved to a supergroup", "links", links, "outbox_rows", rows)
		s.kick()
	}
	return nil
}

// sqlGroupGone sets aside every message still waiting for a group the
// bot was removed from, returning what each held so posts can go on.
const sqlGroupGone = `
WITH gone AS (
    SELECT id, ticket_id, kind, chat_id, payload, attempt FROM aspiration_outbox
    WHERE chat_id = $1 AND status = 'pending' ORDER BY id FOR UPDATE
)
UPDATE aspiration_outbox o SET status = 'failed', last_error = 'group_gone', finished_at = $2, payload = '{}'
FROM gone WHERE o.id = gone.id
RETURNING gone.id, gone.ticket_id, gone.kind, gone.chat_id, gone.payload, gone.attempt,
    (SELECT number FROM aspiration_tickets t WHERE t.id = gone.ticket_id) AS number`

// GroupGone follows Telegram's news that the bot was removed from group
// chatID: the ticket posts still waiting for it go to the group's
// moderators privately (then the operators), the group is unlinked so
// later posts go there too, and each moderator is told, with how to link
// a group again. Idempotent.
func (s *Service) GroupGone(ctx context.Context, chatID int64) error {
	var rows []outboxRow
	// Setting the posts aside and queueing their copies commit together:
	// a failure leaves them waiting for the next try, never lost.
	err := s.withTx(ctx, "following a lost group", func(tx *sqlx.Tx) error {
		if err := sqlx.SelectContext(ctx, tx, &rows, sqlGroupGone, chatID, s.now()); err != nil {
			return fmt.Errorf("setting aside posts to a lost group: %w", err)
		}
		for _, r := range rows {
			if err := s.reroute(ctx, tx, r, "group_gone"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	mods, err := s.staff.UnlinkGroup(ctx, chatID)
	if err != nil {
		return err
	}
	var items []outboxItem
	for _, id := range mods {
		items = append(items, outboxItem{kind: kindStaffInfo, chatID: id, msg: message.Message{Text: catalog.T("aspo.group_gone")}})
	}
	if err := enqueue(ctx, s.db, s.now(), items...); err != nil {
		return err
	}
	s.log.Warn("bot removed from a KIM group", "moderators", len(mods), "outbox_rows", len(rows))
	s.kick()
	return nil
}

const sqlOutboxLeaveTopic = `
UPDATE aspiration_outbox SET payload = payload - 'thread_id', next_at = LEAST(next_at, $2)
WHERE chat_id = $1 AND status = 'pending' AND payload ? 'thread_id'`

// TopicGone follows a forum topic that was deleted or closed: the group
// keeps its link but posts (the waiting ones at once) go to its General.
func (s *Service) TopicGone(ctx context.Context, chatID int64) error {
	if err := s.staff.DropGroupTopic(ctx, chatID); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, sqlOutboxLeaveTopic, chatID, s.now()); err != nil {
		return fmt.Errorf("moving waiting posts out of a lost topic: %w", err)
	}
	s.log.Warn("KIM group's topic is gone; posting to General")
	s.kick()
	return nil
}

// staffKinds are the posts a ticket's reviewers must see; when one cannot
// reach its chat it goes to the next destination (reroute).
var staffKinds = map[string]bool{kindPost: true, kindStaffNote: true, kindEscalation: true}

const sqlAlreadyReached = `
SELECT DISTINCT chat_id FROM aspiration_outbox
WHERE ticket_id = $1 AND kind = $2 AND id < $3 AND status IN ('pending', 'sent')`

// reroute queues, inside tx, a ticket's post that its chat will never take
// (the bot was removed from the KIM group, a moderator blocked it, the
// chat is gone, or it kept failing) to the next reviewers, one tier
// further and never back: a group's moderators in their private chats;
// with none of those, or when a moderator's private chat failed, the
// operators covering the ticket's village; an operator is the last tier,
// so two operators who both blocked the bot never pass a post back and
// forth. Each copy says why it came, so someone learns that the
// destination is broken. Chats that already got this post are skipped.
// Other rows are set aside without a copy.
func (s *Service) reroute(ctx context.Context, tx sqlx.ExtContext, r outboxRow, why string) error {
	if !r.TicketID.Valid || !staffKinds[r.Kind] {
		return nil
	}
	t, err := getTicket(ctx, tx, sqlTicketByID, r.TicketID.Int64)
	if err != nil {
		return err
	}
	chats, note, err := s.nextDestinations(ctx, r.ChatID, t)
	if err != nil {
		return err
	}
	var reached []int64
	if err := sqlx.SelectContext(ctx, tx, &reached, sqlAlreadyReached, r.TicketID.Int64, r.Kind, r.ID); err != nil {
		return fmt.Errorf("finding who has the post: %w", err)
	}
	var m message.Message
	if err := json.Unmarshal(r.Payload, &m); err != nil {
		return nil // a bad payload was logged by the caller; nothing to copy
	}
	if m.Text != "" {
		m.Text = catalog.T(note) + m.Text
	}
	m.ThreadID = 0 // a group's topic means nothing in a private chat
	var items []outboxItem
	for _, c := range chats {
		if c.ChatID != r.ChatID && !slices.Contains(reached, c.ChatID) {
			items = append(items, outboxItem{ticketID: t.ID, kind: r.Kind, chatID: c.ChatID, msg: m})
		}
	}
	if len(items) == 0 {
		s.log.Error("ticket post reaches nobody", "ticket", t.Number, "outbox_id", r.ID, "reason", why)
		return nil
	}
	s.log.Warn("ticket post rerouted", "ticket", t.Number, "outbox_id", r.ID, "reason", why, "chats", len(items))
	if err := enqueue(ctx, tx, s.now(), items...); err != nil {
		return err
	}
	s.kick()
	return nil
}

// nextDestinations is who comes after chat for ticket t, and the note the
// copies carry.
func (s *Service) nextDestinations(ctx context.Context, chat int64, t Ticket) ([]staff.Destination, catalog.Key, error) {
	if chat < 0 {
		mods, err := s.staff.ModeratorsOfGroup(ctx, chat)
		if err != nil || len(mods) > 0 {
			return staff.Private(mods), "aspo.rerouted_group", err
		}
	}
	ops, err := s.operatorChats(ctx, t.VillageCode)
	for _, op := range ops {
		if op.ChatID == chat {
			return nil, "", err // an operator failed: the last tier
		}
	}
	return ops, "aspo.rerouted_reviewer", err
}
