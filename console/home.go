package console

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// growthDays is how far back the home page's subscriber chart goes.
const growthDays = 30

// homeData is what the home page shows for the signed-in person's scope.
type homeData struct {
	Scope      string
	Subs       broadcast.Summary
	Chart      chart
	Operator   bool
	DueToday   []dueRow
	DueWeek    []dueRow
	InProgress []progressRow
	Queue      *aspirations.QueueCounts
	// Checks are the authenticity checks residents of the scope asked
	// for in the last 7 days, and the doctored copies among them.
	Checks *broadcast.CheckCounts
}

type dueRow struct {
	ID     int64
	Text   string // the first words of the announcement
	Timing string
	Next   string
}

type progressRow struct {
	broadcast.Progress
	Percent int
}

// home is the start page: the scope's subscribers and their growth,
// announcements due today and this week, runs in progress, and the open
// aspirations with those past the service level. Every figure comes from
// counters or indexes sized by what is shown, not by the subscribers
// (README, benchmarks).
func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), actorOf(r)
	d := homeData{Scope: c.scopeLabel(r, a.Scope), Operator: a.IsOperator()}
	var err error
	if d.Subs, err = c.deps.Subscribers.Summary(ctx, a.Scope, growthDays); err != nil {
		c.fail(w, r, err)
		return
	}
	d.Chart = growthChart(d.Subs.Daily)
	if d.Operator {
		now := c.clock.Now().In(c.zone)
		midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, c.zone)
		due, err := c.deps.Schedules.Due(ctx, a, midnight.AddDate(0, 0, 6), 40) // soonest first
		if err != nil {
			c.fail(w, r, err)
			return
		}
		split := len(due)
		for i, sc := range due {
			if !sc.NextRunAt.Before(midnight) {
				split = i
				break
			}
		}
		d.DueToday, d.DueWeek = c.dueRows(due[:split]), c.dueRows(due[split:])
		runs, err := c.deps.Schedules.InProgress(ctx, a, 20)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		for _, p := range runs {
			pct := 100
			if p.Targeted > 0 {
				pct = p.Done() * 100 / p.Targeted
			}
			d.InProgress = append(d.InProgress, progressRow{Progress: p, Percent: pct})
		}
	}
	if c.deps.Aspirations != nil {
		q, err := c.deps.Aspirations.QueueCounts(ctx, a)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		d.Queue = &q
	}
	if c.deps.Archive != nil {
		n, err := c.deps.Archive.CountChecks(ctx, a.Scope, c.clock.Now().AddDate(0, 0, -7))
		if err != nil {
			c.fail(w, r, err)
			return
		}
		d.Checks = &n
	}
	c.render(w, r, http.StatusOK, "home", d)
}

func (c *Console) dueRows(scs []broadcast.Schedule) []dueRow {
	out := make([]dueRow, 0, len(scs))
	for _, sc := range scs {
		row := dueRow{ID: sc.ID, Text: firstWords(sc.Content.Text, 12), Timing: sc.Timing().Describe()}
		if sc.NextRunAt != nil {
			row.Next = c.when(*sc.NextRunAt)
		}
		out = append(out, row)
	}
	return out
}

// when shows a time as Indonesian offices write it, in the deployment's
// zone: "Senin, 30/11/2026 08.00 WIB".
func (c *Console) when(t time.Time) string {
	t = t.In(c.zone)
	return catalog.T(catalog.Key("web.day_"+strings.ToLower(t.Weekday().String()))) + ", " + t.Format("02/01/2006 15.04 MST")
}

// firstWords is the start of an announcement's text for a list, as
// residents read it (tags gone, entities decoded; the template escapes).
func firstWords(html string, n int) string {
	text, err := message.VisibleText(html)
	if err != nil {
		text = html // stored texts were checked; shown escaped all the same
	}
	words := strings.Fields(text)
	if len(words) > n {
		return strings.Join(words[:n], " ") + " …"
	}
	return strings.Join(words, " ")
}

// chart is a line chart drawn as SVG by the server (no script needed).
type chart struct {
	Points     string // the polyline, in a 300×80 box
	First      string // the first day's date
	Last       string // the last day's date
	Min, Max   int64
	Difference int64 // last day minus first
}

func growthChart(days []broadcast.DayCount) chart {
	if len(days) == 0 {
		return chart{}
	}
	lo, hi := days[0].Count, days[0].Count
	for _, d := range days {
		lo, hi = min(lo, d.Count), max(hi, d.Count)
	}
	span := max(hi-lo, 1)
	var pts []string
	for i, d := range days {
		x := float64(i) * 300 / float64(max(len(days)-1, 1))
		y := 76 - float64(d.Count-lo)*72/float64(span)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	return chart{Points: strings.Join(pts, " "), First: days[0].Day.Format("02/01"), Last: days[len(days)-1].Day.Format("02/01"),
		Min: lo, Max: hi, Difference: days[len(days)-1].Count - days[0].Count}
}

// scopeLabel names a scope as people say it ("Kota Malang"); the whole
// country for the admin's empty scope.
func (c *Console) scopeLabel(r *http.Request, scope region.Code) string {
	if scope == "" {
		return catalog.T("web.scope_all")
	}
	return c.regions.Label(r.Context(), scope)
}
