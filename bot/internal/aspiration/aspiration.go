// Package aspiration holds both sides of a ticket in chat: residents
// filing (/aspirasi one-shot or guided, forwarded hoaxes), following
// (/status), replying and rating; and KIM moderators and operators
// working the queue (ticket posts' Ambil / Jawab / Tolak / Teruskan,
// replies to a post, /antrian, /templat, /tautkan).
//
// Every rule (scope, transitions, limits, storage) lives in package
// aspirations, and who a person is in package staff; the flows translate
// updates into their calls and their answers into short Indonesian
// messages. It must not know about broadcasting.
package aspiration

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/bot/internal/resident"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// The aspiration flow's name in State and the callback areas of its
// buttons: "asp" for aspirations.ButtonData (staff, queue, ratings),
// "aspr" for the resident's guided filing, "aspm" for cancelling a
// moderator's pending step.
const (
	flowName   = "asp"
	staffArea  = "asp"
	resArea    = "aspr"
	modArea    = "aspm"
	draftField = "draft"
)

// Deps are what the aspiration flows use.
type Deps struct {
	Aspirations *aspirations.Service
	Subscribers *broadcast.Subscribers
	Staff       *staff.Directory
	Regions     *region.Cache
	Picker      *resident.Flow // asks a resident without a village to pick one
	BotUsername func() string  // the bot's @username, to know its own messages
	Clock       message.Clock
	Log         *slog.Logger
	// Archive answers whether a forwarded or pasted message is an
	// official announcement (issue 13); nil: forwards are only offered
	// for a hoax check, as before.
	Archive *broadcast.Archive
	// ArchiveURL is where the public archive is reached (the console's
	// KIMBOT_PUBLIC_URL), for the link in a check's answer; "": no link.
	ArchiveURL string
	// Zone is how the check's dates are told (KIMBOT_TZ); nil: WIB.
	Zone *time.Location
}

// Flow holds the resident and moderator aspiration flows. Every rule
// (scope, transitions, limits, storage) lives in aspirations.Service; the
// flows translate updates into its calls, and its answers and errors into
// short Indonesian messages. Half-done steps live in the chat.Store.
type Flow struct {
	svc     *aspirations.Service
	subs    *broadcast.Subscribers
	staff   *staff.Directory
	regions *region.Cache
	picker  *resident.Flow
	// botUsername is the bot's @username ("" until known).
	botUsername func() string
	clock       message.Clock
	log         *slog.Logger
	archive     *broadcast.Archive
	archiveURL  string
	zone        *time.Location
}

// New builds the aspiration flows.
func New(d Deps) *Flow {
	if d.Zone == nil {
		d.Zone, _ = time.LoadLocation("Asia/Jakarta")
	}
	return &Flow{svc: d.Aspirations, subs: d.Subscribers, staff: d.Staff, regions: d.Regions,
		picker: d.Picker, botUsername: d.BotUsername, clock: d.Clock, log: d.Log,
		archive: d.Archive, archiveURL: strings.TrimRight(d.ArchiveURL, "/"), zone: d.Zone}
}

// Register adds the residents' /aspirasi and /status, the moderators'
// /antrian, /templat and /tautkan, and their buttons.
func (f *Flow) Register(rt *chat.Router) {
	rt.Command("aspirasi", f.onAspirasi)
	rt.Command("status", chat.PrivateOnly(f.onStatus))
	rt.Command("antrian", f.onAntrian)
	rt.Command("templat", f.onTemplat)
	rt.Command("tautkan", f.onTautkan)
	rt.AddMenu("aspirasi", "asp.menu_aspirasi")
	rt.AddMenu("status", "asp.menu_status")
	rt.Callback(resArea, chat.ResidentButtons, f.onResidentButton)
	rt.Callback(staffArea, chat.StaffButtons, f.onStaffButton)
	// Rating an answer is the resident's, on the answer in their chat.
	rt.Callback(staffArea+":"+aspirations.ActionRateYes, chat.ResidentButtons, f.onStaffButton)
	rt.Callback(staffArea+":"+aspirations.ActionRateNo, chat.ResidentButtons, f.onStaffButton)
	rt.Callback(modArea, chat.StaffButtons, f.onStopButton)
	rt.Flow(flowName, f.onDraftMessage)
	rt.Prompted(f.onStaffText)
	rt.Message(f.onMessage)
	rt.ChatMember(f.onChatMember)
	rt.ChatMigrated(f.onChatMigrated)
}

// residentVillage is the village the resident's aspirations go to: their
// subscription's, whatever its status. ok is false without one.
func (f *Flow) residentVillage(ctx context.Context, chatID int64) (region.Code, bool, error) {
	sub, err := f.subs.Get(ctx, chatID)
	if errors.Is(err, broadcast.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return sub.VillageCode, true, nil
}

// askVillage shows the resident flow's village picker to a resident
// without a subscription; after picking they send /aspirasi again.
func (f *Flow) askVillage(ctx context.Context, r *chat.Request) error {
	return f.picker.ShowPicker(ctx, r, catalog.T("asp.need_village")+"\n\n")
}

// file stores the ticket and only then tells the resident its number. A
// refusal (flood, length, attachment) is told kindly and reported false.
func (f *Flow) file(ctx context.Context, r *chat.Request, nt aspirations.NewTicket) (bool, error) {
	t, err := f.svc.File(ctx, nt)
	if err != nil {
		key := fileErrorKey(err)
		switch key {
		case "":
			return false, err
		case "asp.err_flood": // a flood of filings gets one answer a minute
			return false, r.ReplyOnce(ctx, time.Minute, "asp_flood", chat.Text(key))
		}
		return false, r.Say(ctx, key, tooLongArgs(err)...)
	}
	f.log.Info("aspiration filed", "ticket", t.Number, "update_id", r.Update.ID)
	_, err = r.Reply(ctx, message.Message{Text: albumNote(r, catalog.T("asp.filed", t.Number))})
	return true, err
}

// albumNote adds to text, the answer to the first item of an album, that
// only that item was kept: a ticket and each message of its thread hold
// one attachment, and the album's later items are acknowledged unanswered
// (chat.Request.LaterInBatch).
func albumNote(r *chat.Request, text string) string {
	if !r.InAlbum() {
		return text
	}
	return catalog.T("asp.album_first_only") + "\n\n" + text
}

// fileErrorKey maps a refusal to what the resident reads; "" for a
// failure (the framework apologises and logs it).
func fileErrorKey(err error) catalog.Key {
	switch {
	case errors.Is(err, aspirations.ErrNoVillage):
		return "asp.need_village"
	case errors.Is(err, aspirations.ErrFlood):
		return "asp.err_flood"
	case errors.Is(err, aspirations.ErrTextTooShort):
		return "asp.err_too_short"
	case errors.Is(err, aspirations.ErrTextTooLong):
		return "asp.err_too_long"
	case errors.Is(err, aspirations.ErrAnonymousDocument):
		return "asp.err_anon_document"
	case errors.Is(err, aspirations.ErrAttachmentType):
		return "asp.err_attachment"
	}
	return ""
}

// tooLongArgs are the numbers a too-long refusal names (length, limit and
// how much to cut, in UTF-16 units as Telegram counts), or none.
func tooLongArgs(err error) []any {
	if n, limit, ok := aspirations.TooLong(err); ok {
		return []any{n, limit, n - limit}
	}
	return nil
}

// sourceKey is the idempotency key of a filing triggered by update id:
// a redelivered update files nothing twice.
func sourceKey(updateID int64) string {
	return "upd:" + strconv.FormatInt(updateID, 10)
}
