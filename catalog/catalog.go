// Package catalog holds every text that residents, moderators and operators
// read, in Bahasa Indonesia. Texts are looked up by Key so that another
// language (English, Jawa, Sunda…) can be added as a second table without
// touching the code that sends them.
//
// Each area keeps its texts in a file of its own (resident.go, operator.go,
// aspirations.go); this file joins them. It knows no other package.
package catalog

import "fmt"

// Key names one text.
type Key string

// indonesian is the Bahasa Indonesia table, joined from every area's file.
var indonesian = join(residentTexts, operatorTexts, aspirationTexts, aspirationOutboxTexts, consoleTexts, consoleComposeTexts,
	consoleSiaranTexts, usulTexts, kimNudgeTexts, consoleKIMTexts, consoleAspirasiTexts, archiveTexts, cekTexts)

func join(tables ...map[Key]string) map[Key]string {
	all := make(map[Key]string)
	for _, t := range tables {
		for k, v := range t {
			if _, dup := all[k]; dup {
				panic("catalog: duplicate key " + string(k)) // caught by TestCatalog at build time
			}
			all[k] = v
		}
	}
	return all
}

// T returns the text for key, formatted with args as by fmt.Sprintf. A
// missing key returns the key itself so the gap is visible, never a crash.
func T(key Key, args ...any) string {
	s, ok := indonesian[key]
	if !ok {
		return string(key)
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Has reports whether key exists, for tests.
func Has(key Key) bool {
	_, ok := indonesian[key]
	return ok
}
