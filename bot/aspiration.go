package bot

import (
	"context"
	"errors"
	"log/slog"
	"strconv"

	"github.com/kimbot/kimbot/aspirations"
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
	aspFlowName   = "asp"
	aspStaffArea  = "asp"
	aspResArea    = "aspr"
	aspModArea    = "aspm"
	aspDraftField = "draft"
)

// aspFlow holds the resident and moderator aspiration flows. Every rule
// (scope, transitions, limits, storage) lives in aspirations.Service; the
// flows translate updates into its calls, and its answers and errors into
// short Indonesian messages. It has no state of its own.
type aspFlow struct {
	svc     *aspirations.Service
	subs    *broadcast.Subscribers
	staff   *staff.Directory
	regions *region.Store
	picker  *resident
	store   aspStore
	clock   message.Clock
	log     *slog.Logger
}

// registerAspirationRoutes adds the aspiration and moderator routes when
// the App has an aspirations Service.
func registerAspirationRoutes(a *App, rt *Router, picker *resident) {
	d := &a.deps
	if d.Aspirations == nil {
		return
	}
	f := &aspFlow{svc: d.Aspirations, subs: d.Subscribers, staff: d.Staff, regions: d.Regions,
		picker: picker, store: aspStore{rdb: d.Redis, prefix: d.RedisPrefix}, clock: d.Clock, log: d.Logger}
	d.DataErasers = append(d.DataErasers, d.Aspirations.EraseResident)
	rt.Command("aspirasi", f.onAspirasi)
	rt.Command("status", privateOnly(f.onStatus))
	rt.Command("antrian", f.onAntrian)
	rt.Command("templat", f.onTemplat)
	rt.Command("tautkan", f.onTautkan)
	rt.Menu("aspirasi", "asp.menu_aspirasi")
	rt.Menu("status", "asp.menu_status")
	rt.Callback(aspResArea, f.onResidentButton)
	rt.Callback(aspStaffArea, f.onStaffButton)
	rt.Callback(aspModArea, f.onStopButton)
	rt.Flow(aspFlowName, f.onDraftMessage)
	rt.Prompted(f.onStaffText)
	rt.Message(f.onMessage)
	rt.ChatMember(f.onChatMember)
}

// residentVillage is the village the resident's aspirations go to: their
// subscription's, whatever its status. ok is false without one.
func (f *aspFlow) residentVillage(ctx context.Context, chatID int64) (region.Code, bool, error) {
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
func (f *aspFlow) askVillage(ctx context.Context, r *Request) error {
	return f.picker.showPicker(ctx, r, f.picker.root, 0, catalog.T("asp.need_village")+"\n\n")
}

// file stores the ticket and only then tells the resident its number. A
// refusal (flood, length, attachment) is told kindly and reported false.
func (f *aspFlow) file(ctx context.Context, r *Request, nt aspirations.NewTicket) (bool, error) {
	t, err := f.svc.File(ctx, nt)
	if err != nil {
		key := aspFileErrorKey(err)
		if key == "" {
			return false, err
		}
		return false, r.Say(ctx, key)
	}
	f.log.Info("aspiration filed", "ticket", t.Number, "update_id", r.Update.ID)
	return true, r.Say(ctx, "asp.filed", t.Number)
}

// aspFileErrorKey maps a refusal to what the resident reads; "" for a
// failure (the framework apologises and logs it).
func aspFileErrorKey(err error) catalog.Key {
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

// aspSourceKey is the idempotency key of a filing triggered by update id:
// a redelivered update files nothing twice.
func aspSourceKey(updateID int64) string {
	return "upd:" + strconv.FormatInt(updateID, 10)
}

// aspAlert answers a pressed button with a dialog (refusals must be seen).
func aspAlert(ctx context.Context, r *Request, text string) {
	if r.Callback == nil || r.answered {
		return
	}
	r.answered = true
	if err := r.app.sender.AnswerCallback(ctx, r.Callback.ID, text, true); err != nil {
		r.app.log.Warn("answering a button press", "update_id", r.Update.ID, "err", err)
	}
}
