package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// opListLimit is how many schedules /jadwal and runs /laporan show.
const opListLimit = 10

// daftar redeems an invitation code of either role: anyone may try, it
// is how operators and moderators join.
func (f *operatorFlow) daftar(ctx context.Context, telegramID int64, args string) message.Message {
	if strings.TrimSpace(args) == "" {
		return opText("operator.daftar.usage")
	}
	inv, m, err := f.staff.Redeem(ctx, args, telegramID)
	moderator := inv.Role == staff.RoleModerator
	switch {
	case err == nil && moderator:
		f.logger.Info("moderator joined by invite", "scope", string(m.Scope))
		return opText("asp.invite_ok", f.placeName(ctx, m.Scope))
	case err == nil:
		f.logger.Info("operator joined by invite", "scope", string(m.Scope))
		return opText("operator.daftar.ok", f.regionName(ctx, m.Scope))
	case errors.Is(err, staff.ErrAlreadyInvited) && moderator:
		return opText("asp.invite_already")
	case errors.Is(err, staff.ErrAlreadyInvited):
		cur, _ := f.staff.Get(ctx, telegramID, staff.RoleOperator)
		return opText("operator.daftar.already", f.regionName(ctx, cur.Scope))
	case errors.Is(err, staff.ErrInviteUsed):
		return opText("operator.daftar.used")
	case errors.Is(err, staff.ErrInviteExpired):
		return opText("operator.daftar.expired")
	case errors.Is(err, staff.ErrInviteInvalid):
		return opText("operator.daftar.invalid")
	}
	f.logger.Error("redeeming invite failed", "err", err)
	return opText("operator.err.failed")
}

// regionName is "Name (code)" for operators, who think in codes.
func (f *operatorFlow) regionName(ctx context.Context, c region.Code) string {
	if r, err := f.regions.Get(ctx, c); err == nil {
		return broadcast.EscapeHTML(r.Name) + " (" + string(c) + ")"
	}
	return string(c)
}

// placeName is the region's name alone, as moderators are greeted.
func (f *operatorFlow) placeName(ctx context.Context, c region.Code) string {
	if r, err := f.regions.Get(ctx, c); err == nil {
		return broadcast.EscapeHTML(r.Name)
	}
	return broadcast.EscapeHTML(string(c))
}

// undang creates an operator invitation for args (a region code inside
// op's scope; default op's own scope).
func (f *operatorFlow) undang(ctx context.Context, op staff.Actor, args string) message.Message {
	scope := op.Scope
	if a := strings.TrimSpace(args); a != "" {
		c, err := region.ParseCode(a)
		if err != nil {
			return opText("operator.undang.bad", op.Scope)
		}
		scope = c
	}
	code, _, err := f.staff.CreateInvite(ctx, op, staff.RoleOperator, scope)
	switch {
	case errors.Is(err, broadcast.ErrOutOfScope):
		return opText("operator.undang.scope", op.Scope, op.Scope)
	case errors.Is(err, broadcast.ErrUnknownRegion):
		return opText("operator.undang.bad", op.Scope)
	case err != nil:
		f.logger.Error("creating invite failed", "err", err)
		return opText("operator.err.failed")
	}
	return opText("operator.undang.ok", f.regionName(ctx, scope), code, code)
}

// jadwal lists the schedules in op's scope with their buttons.
func (f *operatorFlow) jadwal(ctx context.Context, op staff.Actor) message.Message {
	list, err := f.schedules.List(ctx, op, 0, opListLimit)
	if err != nil {
		f.logger.Error("listing schedules failed", "err", err)
		return opText("operator.err.failed")
	}
	if len(list) == 0 {
		return opText("operator.jadwal.empty")
	}
	items := []string{catalog.T("operator.jadwal.title")}
	var rows [][]message.Button
	for _, sc := range list {
		items = append(items, catalog.T("operator.jadwal.item", sc.ID, catalog.T(catalog.Key("operator.status."+string(sc.Status))),
			opDescribeWhen(sc.Kind, opDeref(sc.NextRunAt), sc.CronSpec, sc.EndAt, sc.Zone), opFormatTime(sc.NextRunAt, sc.Zone),
			f.targetNames(ctx, sc.Targets), broadcast.EscapeHTML(opPreview(sc.Content.Text, 60))))
		rows = append(rows, opScheduleButtons(sc)...)
	}
	m := message.Message{Text: strings.Join(items, "\n\n"), Buttons: rows}
	return m
}

func opDeref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func opScheduleButtons(sc broadcast.Schedule) [][]message.Button {
	id := strconv.FormatInt(sc.ID, 10)
	var row []message.Button
	switch sc.Status {
	case broadcast.ScheduleActive:
		row = append(row, message.Button{Text: catalog.T("operator.jadwal.pause", sc.ID), Data: "op:jp:" + id})
	case broadcast.SchedulePaused:
		row = append(row, message.Button{Text: catalog.T("operator.jadwal.resume", sc.ID), Data: "op:jr:" + id})
	}
	if sc.Status == broadcast.ScheduleActive || sc.Status == broadcast.SchedulePaused {
		row = append(row, message.Button{Text: catalog.T("operator.jadwal.cancel", sc.ID), Data: "op:jc:" + id})
	}
	if row == nil {
		return nil
	}
	return [][]message.Button{row}
}

// onJadwalButton pauses, resumes or (after a second tap) cancels.
func (f *operatorFlow) onJadwalButton(ctx context.Context, op staff.Actor, data string) message.Message {
	verb, arg, _ := strings.Cut(strings.TrimPrefix(data, "op:"), ":")
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil && verb != "jn" {
		return opText("operator.jadwal.missing")
	}
	var change func(context.Context, staff.Actor, int64) (broadcast.Schedule, error)
	var done catalog.Key
	switch verb {
	case "jp":
		change, done = f.schedules.Pause, "operator.jadwal.paused"
	case "jr":
		change, done = f.schedules.Resume, "operator.jadwal.resumed"
	case "jy":
		change, done = f.schedules.Cancel, "operator.jadwal.cancelled"
	case "jc":
		m := opText("operator.jadwal.confirm", id)
		m.Buttons = [][]message.Button{{{Text: catalog.T("operator.jadwal.confirm_yes", id), Data: fmt.Sprintf("op:jy:%d", id)},
			{Text: catalog.T("operator.jadwal.keep"), Data: "op:jn"}}}
		return m
	default:
		return f.jadwal(ctx, op)
	}
	_, err = change(ctx, op, id)
	switch {
	case errors.Is(err, broadcast.ErrNotFound):
		return opText("operator.jadwal.missing")
	case errors.Is(err, broadcast.ErrScheduleState):
		return opText("operator.jadwal.state", id)
	case err != nil:
		f.logger.Error("changing schedule failed", "schedule_id", id, "err", err)
		return opText("operator.err.failed")
	}
	f.logger.Info("schedule changed in chat", "schedule_id", id, "change", verb)
	return opText(done, id)
}

// laporan reports the latest runs in op's scope.
func (f *operatorFlow) laporan(ctx context.Context, op staff.Actor) message.Message {
	runs, err := f.schedules.Runs(ctx, op, 0, opListLimit)
	if err != nil {
		f.logger.Error("reporting runs failed", "err", err)
		return opText("operator.err.failed")
	}
	if len(runs) == 0 {
		return opText("operator.laporan.empty")
	}
	now := f.clock.Now()
	items := []string{catalog.T("operator.laporan.title")}
	uncertain := false
	for _, r := range runs {
		items = append(items, opRunReport(r, f.zone, now))
		uncertain = uncertain || r.Uncertain > 0
	}
	if uncertain {
		items = append(items, catalog.T("operator.laporan.uncertain_note"))
	}
	return message.Message{Text: strings.Join(items, "\n\n")}
}

// opRunReport is one run's counts; they add up to its targeted count, so
// deliveries cancelled (run cancelled, resident left) show when there are
// any.
func opRunReport(r broadcast.RunReport, zone *time.Location, now time.Time) string {
	cancelled := ""
	if r.Cancelled > 0 {
		cancelled = catalog.T("operator.laporan.cancelled", r.Cancelled)
	}
	fire := r.FireAt
	return catalog.T("operator.laporan.item", r.ScheduleID, opFormatTime(&fire, zone),
		catalog.T(catalog.Key("operator.run."+string(r.Status))), r.Targeted, r.Sent, r.Failed, r.Blocked,
		r.Uncertain, r.Pending, cancelled, opDuration(r.Duration(now)))
}

// opDuration is "2 mnt 13 dtk" style.
func opDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%d jam %d mnt", h, m)
	case m > 0:
		return fmt.Sprintf("%d mnt %d dtk", m, s)
	}
	return fmt.Sprintf("%d dtk", s)
}

// opPreview is the first n visible characters of an HTML text.
func opPreview(html string, n int) string {
	var b strings.Builder
	inTag := false
	for _, r := range html {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	plain := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&").Replace(b.String())
	plain = strings.Join(strings.Fields(plain), " ")
	if r := []rune(plain); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return plain
}
