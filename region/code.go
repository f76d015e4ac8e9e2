// Package region owns Indonesia's administrative hierarchy: the official
// Kemendagri codes, the regions table, its import from the shipped ODbL
// data, village search by name, and the in-memory Cache of lookups and
// place names the chat flows share.
//
// A code is a prefix of every code inside it ("35.73" holds "35.73.05.1003"),
// so targets and scopes everywhere in kimbot are just Codes.
//
// It must not know about anything else in kimbot: every other package
// builds on it.
package region

import (
	"errors"
	"fmt"
	"strings"
)

// Level is the depth of a code in the hierarchy.
type Level int

// The four levels of the hierarchy.
const (
	Province Level = 1 // "35"
	Regency  Level = 2 // "35.73" (kabupaten or kota)
	District Level = 3 // "35.73.05" (kecamatan)
	Village  Level = 4 // "35.73.05.1003" (kelurahan or desa)
)

// Code is a dotted Kemendagri region code such as "35.73.05.1003". The
// empty Code is the whole country.
type Code string

// ErrInvalidCode is returned for text that is not a region code.
var ErrInvalidCode = errors.New("region code must look like 35, 35.73, 35.73.05 or 35.73.05.1003")

// partWidths are the digit counts of each dotted part.
var partWidths = [...]int{2, 2, 2, 4}

// ParseCode accepts a dotted code ("35.73.05.1003") or the compact form used
// in deep links ("3573051003", digits only) and returns the dotted Code.
func ParseCode(s string) (Code, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ErrInvalidCode
	}
	if !strings.Contains(s, ".") {
		return parseCompact(s)
	}
	parts := strings.Split(s, ".")
	if len(parts) > len(partWidths) {
		return "", ErrInvalidCode
	}
	for i, p := range parts {
		if len(p) != partWidths[i] || !allDigits(p) {
			return "", ErrInvalidCode
		}
	}
	return Code(s), nil
}

func parseCompact(s string) (Code, error) {
	if !allDigits(s) {
		return "", ErrInvalidCode
	}
	var parts []string
	for _, w := range partWidths {
		if s == "" {
			break
		}
		if len(s) < w {
			return "", ErrInvalidCode
		}
		parts = append(parts, s[:w])
		s = s[w:]
	}
	if s != "" {
		return "", ErrInvalidCode
	}
	return Code(strings.Join(parts, ".")), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Level reports how deep the code is; the empty Code is level 0.
func (c Code) Level() Level {
	if c == "" {
		return 0
	}
	return Level(strings.Count(string(c), ".") + 1)
}

// Compact is the code without dots, as used in deep-link payloads.
func (c Code) Compact() string { return strings.ReplaceAll(string(c), ".", "") }

// Contains reports whether other lies inside c (or is c). The empty Code
// contains everything.
func (c Code) Contains(other Code) bool {
	if c == "" || c == other {
		return true
	}
	return strings.HasPrefix(string(other), string(c)+".")
}

// Parent is the code one level up; the parent of a province is "".
func (c Code) Parent() Code {
	i := strings.LastIndexByte(string(c), '.')
	if i < 0 {
		return ""
	}
	return c[:i]
}

// LikePattern is the SQL LIKE pattern matching c and everything inside it;
// use it as `code = $1 OR code LIKE $2`, or with Contains-style helpers.
func (c Code) LikePattern() string {
	if c == "" {
		return "%"
	}
	return string(c) + ".%"
}

// String implements fmt.Stringer.
func (c Code) String() string { return string(c) }

// ParseCodes parses a comma-separated list such as "35.73.05,35.73.01".
func ParseCodes(s string) ([]Code, error) {
	var codes []Code
	for _, part := range strings.Split(s, ",") {
		c, err := ParseCode(part)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", strings.TrimSpace(part), err)
		}
		codes = append(codes, c)
	}
	return codes, nil
}

// Common is the smallest region holding every code ("" for none, or when
// they lie in different provinces).
func Common(codes []Code) Code {
	if len(codes) == 0 {
		return ""
	}
	common := codes[0]
	for _, c := range codes[1:] {
		for !common.Contains(c) {
			common = common.Parent()
		}
	}
	return common
}
