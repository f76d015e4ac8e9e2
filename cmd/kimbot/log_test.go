package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/internal/testenv"
)

func TestNewLogger(t *testing.T) {
	serve, person := command{unattended: true}, command{}
	tests := []struct {
		name      string
		env       map[string]string
		cmd       command
		info, err string // what an info and an error line start with; "" = not written
	}{
		{"serve: JSON from info", nil, serve, `{"time":`, `{"time":`},
		{"serve with LOG_FORMAT=text", map[string]string{"LOG_FORMAT": "text"}, serve, "time=", "time="},
		{"serve with LOG_LEVEL=error", map[string]string{"LOG_LEVEL": "error"}, serve, "", `{"time":`},
		{"a person: text, warnings and errors only", nil, person, "", "time="},
		{"a person with LOG_LEVEL=info", map[string]string{"LOG_LEVEL": "info"}, person, "time=", "time="},
		{"a person with LOG_FORMAT=JSON", map[string]string{"LOG_FORMAT": "JSON"}, person, "", `{"time":`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(envOf(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				log  func(*strings.Builder)
				want string
			}{
				{func(w *strings.Builder) { newLogger(cfg, tt.cmd, w).Info("hello", "run_id", 1) }, tt.info},
				{func(w *strings.Builder) { newLogger(cfg, tt.cmd, w).Error("oops", "err", "x") }, tt.err},
			} {
				var w strings.Builder
				c.log(&w)
				if got := w.String(); c.want == "" && got != "" || !strings.HasPrefix(got, c.want) {
					t.Errorf("logged %q, want it to start with %q", got, c.want)
				}
			}
		})
	}
}

// TestRun_AnswerLogs: `kimbot aspirations answer` prints its result on
// stdout and, by default, nothing on stderr; LOG_FORMAT=json with
// LOG_LEVEL=info brings the JSON info line back.
func TestRun_AnswerLogs(t *testing.T) {
	db, dbURL := testenv.DBWithURL(t)
	svc := aspirations.NewService(db, nil, "", nil, nil, aspirations.Config{})
	tests := []struct {
		name   string
		env    map[string]string
		stderr string // its prefix; "" = empty
	}{
		{"default", nil, ""},
		{"json at info", map[string]string{"LOG_FORMAT": "json", "LOG_LEVEL": "info"}, `{"time":`},
		{"text at info", map[string]string{"LOG_LEVEL": "info"}, `time=`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, err := svc.File(context.Background(), aspirations.NewTicket{ResidentChat: int64(9100 + i),
				VillageCode: "35.73.05.1003", Category: aspirations.CategoryHealth, Text: fmt.Sprintf("Posyandu butuh timbangan %d", i)})
			if err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"DATABASE_URL": dbURL, "REDIS_URL": testenv.RedisURL()}
			for k, v := range tt.env {
				env[k] = v
			}
			var out, errOut strings.Builder
			code := run(t.Context(), []string{"aspirations", "answer", tk.Number, "--text", "Sudah ditangani."},
				envOf(env), strings.NewReader(""), &out, &errOut)
			if code != 0 || strings.TrimSpace(out.String()) == "" || strings.Contains(out.String(), "level") {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
			}
			if got := errOut.String(); tt.stderr == "" && got != "" || !strings.HasPrefix(got, tt.stderr) {
				t.Fatalf("stderr %q, want it to start with %q", got, tt.stderr)
			}
		})
	}
}
