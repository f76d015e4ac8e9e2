package proposals

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/internal/pgsafe"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// Approval is an operator's decision to send: the text as they edited it
// ("" keeps the KIM's), the target area ("" = the area the KIM asked
// for) and when (zero = now).
type Approval struct {
	Text   string
	Target region.Code
	At     time.Time
}

// Approve approves proposal id and schedules it as by, credited to the
// KIM: the approval commits first, then the schedule is made with the
// request key usul-<id> (so the sweep, Finish, can make it after a crash
// without ever making two), then the KIM is told. by must be an operator
// covering the KIM's area (ErrNotFound otherwise); the target must lie in
// by's scope (ErrTarget); a time must be ahead, within MaxAhead
// (ErrWhen); an edited text is checked like any announcement
// (*broadcast.InputError); a decided proposal is ErrDecided.
func (s *Service) Approve(ctx context.Context, by staff.Actor, id int64, a Approval) (Proposal, error) {
	if !by.IsOperator() {
		return Proposal{}, ErrForbidden
	}
	now := s.now()
	if !a.At.IsZero() && (a.At.Before(now.Add(-time.Minute)) || a.At.After(now.Add(MaxAhead))) {
		return Proposal{}, ErrWhen
	}
	p, err := s.decide(ctx, by, id, func(tx *sqlx.Tx, p *Proposal) error {
		target := a.Target
		if target == "" {
			target = p.Requested()
		}
		if !by.Allows(target) {
			return ErrTarget
		}
		if t := strings.TrimSpace(pgsafe.Text(a.Text, 16<<10)); t != "" {
			p.Text = t
		}
		if err := p.check(); err != nil {
			return err
		}
		at := a.At
		if at.IsZero() {
			at = now
		}
		_, err := tx.ExecContext(ctx, `UPDATE proposals SET status = 'disetujui', text = $2, target = $3, send_at = $4,
decided_by = $5, decided_name = $6, decided_at = $7, updated_at = $7 WHERE id = $1`,
			id, p.Text, string(target), at, by.TelegramID, by.DisplayName(), now)
		if err != nil {
			return fmt.Errorf("approving proposal %d: %w", id, err)
		}
		return audit.Write(ctx, tx, by.Audit(now, "usul_setujui", target, fmt.Sprintf("%d: %s", id, p.KIMName)))
	})
	if err != nil {
		return p, err
	}
	if err := s.schedule(ctx, by, id); err != nil {
		// Approved and kept: Finish makes the schedule when it can.
		s.log.Warn("scheduling an approved proposal failed; the sweep retries", "proposal", id, "err", err)
	}
	return get(ctx, s.db, by, id)
}

// schedule makes approved proposal id's schedule as by and tells its KIM.
func (s *Service) schedule(ctx context.Context, by staff.Actor, id int64) error {
	p, err := get(ctx, s.db, staff.Admin(), id)
	if err != nil {
		return err
	}
	if p.Status != Approved || p.ScheduleID != nil {
		return nil
	}
	timing := broadcast.Timing{Kind: broadcast.KindNow}
	if p.SendAt.After(s.now().Add(time.Minute)) {
		timing = broadcast.Timing{Kind: broadcast.KindOnce, At: *p.SendAt}
	}
	sc, err := s.schedules.Create(ctx, by, broadcast.Draft{Content: p.Content(), Targets: []region.Code{*p.Target},
		Timing: timing, Key: fmt.Sprintf("usul-%d", id), Issuer: p.KIMName})
	if err != nil {
		return fmt.Errorf("scheduling proposal %d: %w", id, err)
	}
	mods, err := s.moderatorChats(ctx, p.KIM)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE proposals SET schedule_id = $2 WHERE id = $1 AND schedule_id IS NULL`, id, sc.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another process finished it
		}
		return queue(ctx, tx, s.now(), mods, message.Message{Text: catalog.T("usul.approved_kim", id,
			message.EscapeHTML(s.place(ctx, *p.Target)), p.SendAt.In(s.zone).Format("02/01/2006 15.04 MST"))})
	})
}

// Finish schedules approved proposals left without a schedule (a crash
// or an outage between approval and scheduling), as their approver.
func (s *Service) Finish(ctx context.Context) error {
	var rows []struct {
		ID int64 `db:"id"`
		By int64 `db:"decided_by"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT id, decided_by FROM proposals
WHERE status = 'disetujui' AND schedule_id IS NULL ORDER BY id LIMIT 50`); err != nil {
		return fmt.Errorf("finding unscheduled proposals: %w", err)
	}
	var errs []error
	for _, r := range rows {
		by, err := s.staff.Who(ctx, r.By, "")
		if err == nil && !by.IsOperator() {
			by = staff.Admin() // the approver lost the role since: the approval stands
		}
		if err == nil {
			err = s.schedule(ctx, by, r.ID)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Reject rejects proposal id with reason (ErrReason unless 5 to 500
// characters) and tells the KIM why. Access is Approve's.
func (s *Service) Reject(ctx context.Context, by staff.Actor, id int64, reason string) (Proposal, error) {
	return s.decide(ctx, by, id, func(tx *sqlx.Tx, p *Proposal) error {
		reason, err := checkReason(reason)
		if err != nil {
			return err
		}
		now := s.now()
		_, err = tx.ExecContext(ctx, `UPDATE proposals SET status = 'ditolak', reject_reason = $2, decided_by = $3,
decided_name = $4, decided_at = $5, updated_at = $5 WHERE id = $1`, id, reason, by.TelegramID, by.DisplayName(), now)
		if err != nil {
			return fmt.Errorf("rejecting proposal %d: %w", id, err)
		}
		if err := audit.Write(ctx, tx, by.Audit(now, "usul_tolak", p.Area, fmt.Sprintf("%d: %s", id, reason))); err != nil {
			return err
		}
		mods, err := s.moderatorChats(ctx, p.KIM)
		if err != nil {
			return err
		}
		return queue(ctx, tx, now, mods, message.Message{Text: catalog.T("usul.rejected_kim", id, message.EscapeHTML(reason))})
	})
}

// Edit replaces a waiting proposal's text (Telegram HTML) as by, an
// operator of its area, before they decide. Access is Approve's.
func (s *Service) Edit(ctx context.Context, by staff.Actor, id int64, text string) (Proposal, error) {
	return s.decide(ctx, by, id, func(tx *sqlx.Tx, p *Proposal) error {
		p.Text = strings.TrimSpace(pgsafe.Text(text, 16<<10))
		if err := p.check(); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE proposals SET text = $2, updated_at = $3 WHERE id = $1`, id, p.Text, now); err != nil {
			return fmt.Errorf("editing proposal %d: %w", id, err)
		}
		return audit.Write(ctx, tx, by.Audit(now, "usul_ubah", p.Area, fmt.Sprintf("%d", id)))
	})
}

// decide runs do on waiting proposal id, locked in a transaction, for by,
// an operator who may see it (ErrForbidden, ErrNotFound, ErrDecided), and
// returns the proposal as it stands after the commit.
func (s *Service) decide(ctx context.Context, by staff.Actor, id int64, do func(tx *sqlx.Tx, p *Proposal) error) (Proposal, error) {
	if !by.IsOperator() {
		return Proposal{}, ErrForbidden
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		p, err := waiting(ctx, tx, by, id)
		if err != nil {
			return err
		}
		return do(tx, &p)
	})
	if err != nil {
		return Proposal{}, err
	}
	return get(ctx, s.db, by, id)
}

// waiting locks proposal id for a decision by by.
func waiting(ctx context.Context, tx *sqlx.Tx, by staff.Actor, id int64) (Proposal, error) {
	p, err := get(ctx, tx, by, id, " FOR UPDATE OF p")
	if err == nil && p.Status != Waiting {
		err = ErrDecided
	}
	return p, err
}

// moderatorChats are the private chats of KIM kim's moderators.
func (s *Service) moderatorChats(ctx context.Context, kim int64) ([]int64, error) {
	ms, err := s.staff.KIMModerators(ctx, staff.Admin(), kim)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.TelegramID
	}
	return ids, nil
}

// place is a region's name for staff messages.
func (s *Service) place(ctx context.Context, code region.Code) string {
	var name string
	if err := s.db.GetContext(ctx, &name, `SELECT name FROM regions WHERE code = $1`, string(code)); err != nil {
		return string(code)
	}
	return name
}

// operatorNotice is what operators get for a new proposal: who asks for
// which area, then the proposal exactly as residents would read it with
// the decision buttons (data "usul:<action>:<id>"). Two messages, so the
// header never pushes a full-length text or caption over Telegram's limit;
// the outbox keeps a chat's messages in order.
func (s *Service) operatorNotice(ctx context.Context, p Proposal) []message.Message {
	head := message.Message{Text: catalog.T("usul.notice_operator", p.ID, message.EscapeHTML(p.KIMName),
		message.EscapeHTML(s.place(ctx, p.Requested())))}
	body := p.Content().Message()
	body.Buttons = DecisionButtons(p.ID)
	return []message.Message{head, body}
}

// DecisionButtons are Setujui / Ubah / Tolak for proposal id.
func DecisionButtons(id int64) [][]message.Button {
	return [][]message.Button{{
		{Text: catalog.T("usul.button_approve"), Data: fmt.Sprintf("usul:ok:%d", id)},
		{Text: catalog.T("usul.button_edit"), Data: fmt.Sprintf("usul:ubah:%d", id)},
		{Text: catalog.T("usul.button_reject"), Data: fmt.Sprintf("usul:tolak:%d", id)},
	}}
}

// queue queues ms, in order, to each of chats.
func queue(ctx context.Context, tx *sqlx.Tx, now time.Time, chats []int64, ms ...message.Message) error {
	for _, m := range ms {
		if err := aspirations.QueueStaffMessages(ctx, tx, now, chats, m); err != nil {
			return err
		}
	}
	return nil
}

// Run calls Finish every 30 seconds until ctx ends: an approval whose
// schedule could not be made (PostgreSQL away mid-way, a crash) is
// scheduled within half a minute of the database coming back.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := s.Finish(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("finishing approved proposals", "err", err)
			}
		}
	}
}
