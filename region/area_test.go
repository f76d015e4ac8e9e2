package region

import (
	"slices"
	"testing"
)

func TestAreaParams_DropsCodesInsideOthers(t *testing.T) {
	idx, codes := AreaParams([]Area{
		{Name: "KIM Lowokwaru", Codes: []Code{"35.73.05.1003", "35.73.05", "35.73.05"}},
		{Name: "Tlogomas", Codes: []Code{"35.73.05.1003"}},
		{Name: "semua", Codes: []Code{"", "35.73"}},
	})
	if want := []int64{0, 1, 2}; !slices.Equal(idx, want) {
		t.Errorf("idx %v, want %v", idx, want)
	}
	if want := []string{"35.73.05", "35.73.05.1003", ""}; !slices.Equal(codes, want) {
		t.Errorf("codes %v, want %v", codes, want)
	}
}
