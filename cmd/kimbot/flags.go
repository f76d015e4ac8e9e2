package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kimbot/kimbot/message"
)

// buttonFlag collects repeated --button "Label=URL"; each flag is one row.
type buttonFlag [][]message.Button

func (b *buttonFlag) String() string { return fmt.Sprint(len(*b)) }

func (b *buttonFlag) Set(v string) error {
	label, url, ok := strings.Cut(v, "=")
	if !ok {
		return errors.New(`want "Label=https://…"`)
	}
	*b = append(*b, []message.Button{{Text: strings.TrimSpace(label), URL: strings.TrimSpace(url)}})
	return nil
}

// switchFlag is a boolean flag that knows whether it was given, so that
// its absence takes the deployment's default (--archive).
type switchFlag struct{ set, on bool }

func (f *switchFlag) String() string   { return strconv.FormatBool(f.on) }
func (f *switchFlag) IsBoolFlag() bool { return true }
func (f *switchFlag) Set(v string) error {
	on, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("must be true or false, not %q", v)
	}
	f.set, f.on = true, on
	return nil
}
