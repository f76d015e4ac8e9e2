package main

import (
	"encoding/json"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

const dashboardFile = "../../deploy/grafana/dashboards/kimbot.json"

// TestDashboard_UsesOnlyExportedMetrics: every metric the shipped Grafana
// dashboard queries is registered by `kimbot serve` (its registry built
// as serve builds it), so no panel stays empty because of a typo or a
// renamed metric. Metrics are checked by name (Describe), so one whose
// series appear only after the first event counts too.
func TestDashboard_UsesOnlyExportedMetrics(t *testing.T) {
	raw, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var dash any
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("%s is not JSON: %v", dashboardFile, err)
	}
	used := map[string]bool{}
	for _, expr := range exprs(dash) {
		for _, name := range metricNames(expr) {
			used[name] = true
		}
	}
	if len(used) < 8 {
		t.Fatalf("the dashboard uses %d metrics (%v); did the parsing break?", len(used), used)
	}
	exported := servedMetrics(t)
	for name := range used {
		if !exported[name] && !exported[strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_sum"), "_count")] {
			t.Errorf("the dashboard queries %s, which kimbot serve does not export", name)
		}
	}
}

// servedMetrics are the names of every metric serve's registry describes.
func servedMetrics(t *testing.T) map[string]bool {
	t.Helper()
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	rdb, prefix := testenv.Redis(t)
	app := &cliApp{db: testenv.DB(t), rdb: rdb, clock: message.SystemClock{}, logger: slog.New(slog.DiscardHandler),
		cfg: Config{TelegramToken: "123:TEST", TelegramAPIURL: emu.URL(), RedisPrefix: prefix, Rate: 25}}
	reg := newRegistry()
	if _, err := newService(app, reg); err != nil {
		t.Fatal(err)
	}
	descs := make(chan *prometheus.Desc)
	go func() { reg.Describe(descs); close(descs) }()
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	names := map[string]bool{}
	for d := range descs {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			names[m[1]] = true
		}
	}
	if !names["kimbot_deliveries_total"] || !names["go_goroutines"] {
		t.Fatalf("reading metric names from descriptions failed: %v", names)
	}
	return names
}

// exprs returns every "expr" string anywhere in the dashboard.
func exprs(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "expr" {
				out = append(out, s)
			} else {
				out = append(out, exprs(x)...)
			}
		}
	case []any:
		for _, x := range v {
			out = append(out, exprs(x)...)
		}
	}
	return out
}

var (
	promStrings   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	promSelectors = regexp.MustCompile(`\{[^}]*\}|\[[^\]]*\]`)
	promGrouping  = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promIdent     = regexp.MustCompile(`[A-Za-z_:][A-Za-z0-9_:]*\s*\(?`)
	promKeywords  = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true, "inf": true, "nan": true}
)

// metricNames returns the metric names in a PromQL expression: the
// identifiers left once strings, label matchers, ranges and grouping
// clauses are removed, that are not functions (followed by "(") or
// keywords.
func metricNames(expr string) []string {
	e := promStrings.ReplaceAllString(expr, `""`)
	e = promSelectors.ReplaceAllString(e, " ")
	e = promGrouping.ReplaceAllString(e, " ")
	var names []string
	for _, tok := range promIdent.FindAllString(e, -1) {
		if strings.HasSuffix(tok, "(") || promKeywords[strings.ToLower(strings.TrimSpace(tok))] {
			continue
		}
		names = append(names, strings.TrimSpace(tok))
	}
	return names
}

func TestMetricNames(t *testing.T) {
	got := metricNames(`histogram_quantile(0.99, sum by (le) (rate(kimbot_bot_handler_seconds_bucket{kind=~"a|b"}[5m]))) / on (x) time() - max(kimbot_x) and bool 1`)
	if strings.Join(got, ",") != "kimbot_bot_handler_seconds_bucket,kimbot_x" {
		t.Fatalf("metricNames = %v", got)
	}
}
