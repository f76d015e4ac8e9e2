package aspirations

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/region"
)

var errTODO = errors.New("not implemented yet")

type metrics struct{}

func newMetrics(*sqlx.DB) *metrics { return &metrics{} }

// File stores a resident's aspiration durably and queues the moderator post.
func (s *Service) File(ctx context.Context, nt NewTicket) (Ticket, error) { return Ticket{}, errTODO }

// ResidentTickets lists a resident's tickets, newest first.
func (s *Service) ResidentTickets(ctx context.Context, chatID int64, limit int) ([]Ticket, error) {
	return nil, errTODO
}

// ResidentReply adds a resident's reply to their ticket's thread.
func (s *Service) ResidentReply(ctx context.Context, chatID int64, ticketNumber string, text string, att *Attachment) (Ticket, error) {
	return Ticket{}, errTODO
}

// TicketByAnswerMessage finds the ticket whose answer message the resident replied to.
func (s *Service) TicketByAnswerMessage(ctx context.Context, chatID int64, messageID int) (Ticket, error) {
	return Ticket{}, errTODO
}

// Rate keeps the resident's rating of an answer.
func (s *Service) Rate(ctx context.Context, chatID int64, ticketID int64, helpful bool) error {
	return errTODO
}

// EraseResident anonymises the resident's tickets.
func (s *Service) EraseResident(ctx context.Context, chatID int64) error { return errTODO }

// Queue lists the actor's queue, oldest first.
func (s *Service) Queue(ctx context.Context, actor Actor, status []Status, offset, limit int) ([]Ticket, int, error) {
	return nil, 0, errTODO
}

// Get returns one ticket and its thread.
func (s *Service) Get(ctx context.Context, actor Actor, ticketNumberOrID string) (Ticket, []Message, error) {
	return Ticket{}, nil, errTODO
}

// Claim takes a ticket.
func (s *Service) Claim(ctx context.Context, actor Actor, ticketID int64) (Ticket, error) {
	return Ticket{}, errTODO
}

// Answer answers a ticket.
func (s *Service) Answer(ctx context.Context, actor Actor, ticketID int64, text string) (Ticket, error) {
	return Ticket{}, errTODO
}

// Reject rejects a ticket with a reason.
func (s *Service) Reject(ctx context.Context, actor Actor, ticketID int64, reason string) (Ticket, error) {
	return Ticket{}, errTODO
}

// Escalate forwards a ticket to the operators.
func (s *Service) Escalate(ctx context.Context, actor Actor, ticketID int64, note string) (Ticket, error) {
	return Ticket{}, errTODO
}

// SaveCanned saves a canned answer.
func (s *Service) SaveCanned(ctx context.Context, actor Actor, title, text string) error { return errTODO }

// Canned lists canned answers.
func (s *Service) Canned(ctx context.Context, actor Actor) ([]Canned, error) { return nil, errTODO }

// AddModerator adds a moderator.
func (s *Service) AddModerator(ctx context.Context, telegramID int64, scope region.Code, groupChatID *int64) error {
	return errTODO
}

// Moderator returns a moderator.
func (s *Service) Moderator(ctx context.Context, telegramID int64) (Moderator, error) {
	return Moderator{}, errTODO
}

// CreateGroupLinkCode makes a group link code.
func (s *Service) CreateGroupLinkCode(ctx context.Context, actor Actor) (string, error) {
	return "", errTODO
}

// LinkGroup links a group.
func (s *Service) LinkGroup(ctx context.Context, code string, groupChatID int64) (Moderator, error) {
	return Moderator{}, errTODO
}

// RedeemInvite makes telegramID a moderator from an invitation code.
func (s *Service) RedeemInvite(ctx context.Context, code string, telegramID int64) (Moderator, error) {
	return Moderator{}, errTODO
}

// RunOutbox sends the outbox until ctx ends.
func (s *Service) RunOutbox(ctx context.Context) error { return errTODO }

// FlushOutbox sends every due row once.
func (s *Service) FlushOutbox(ctx context.Context) (int, error) { return 0, errTODO }

// TicketByPost finds the ticket of a staff post.
func (s *Service) TicketByPost(ctx context.Context, chatID int64, messageID int) (Ticket, error) {
	return Ticket{}, errTODO
}

// RunSLA sweeps until ctx ends.
func (s *Service) RunSLA(ctx context.Context) error { return errTODO }

// SLATick sweeps once.
func (s *Service) SLATick(ctx context.Context) error { return errTODO }

// Collectors are the Prometheus collectors.
func (s *Service) Collectors() []prometheus.Collector { return nil }
