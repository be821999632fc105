package catalog

import (
	"strings"
	"testing"
)

const fiveClasses = `"classes": [
	{"number": 1, "name": "Informational responses"},
	{"number": 2, "name": "Successful responses"},
	{"number": 3, "name": "Redirection messages"},
	{"number": 4, "name": "Client error responses"},
	{"number": 5, "name": "Server error responses"}
]`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data, wantErr string
	}{
		{"not json", `{`, "parse"},
		{"trailing data", `{"classes": []} {"classes": []}`, "after top-level value"},
		{"null class", `{"classes": [null]}`, "null class"},
		{"class out of range", `{"classes": [{"number": 6}]}`, "bad or repeated class 6"},
		{"repeated class", `{"classes": [{"number": 1}, {"number": 1}]}`, "bad or repeated class 1"},
		{"class missing", `{"classes": [{"number": 1}, {"number": 2}, {"number": 3}, {"number": 5}], "codes": [{"code": 200}]}`, "class 4 missing"},
		{"no classes", `{"codes": []}`, "class 1 missing"},
		{"null code", `{` + fiveClasses + `, "codes": [null]}`, "null code"},
		{"code out of range", `{` + fiveClasses + `, "codes": [{"code": 600}]}`, "code 600 out of range"},
		{"code repeated", `{` + fiveClasses + `, "codes": [{"code": 404}, {"code": 404}]}`, "code 404 repeated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := Parse([]byte(tt.data))
			if err == nil {
				t.Fatalf("Parse(%s) = %v, nil; want error containing %q", tt.data, cat, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse(%s) error = %q, want it to contain %q", tt.data, err, tt.wantErr)
			}
		})
	}
}

func TestParseMinimal(t *testing.T) {
	cat, err := Parse([]byte(`{` + fiveClasses + `, "codes": [{"code": 404, "phrase": "Not Found"}, {"code": 200, "phrase": "OK"}]}`))
	if err != nil {
		t.Fatalf("Parse() error: %v", err)
	}
	if got := len(cat.Classes()); got != 5 {
		t.Errorf("len(Classes()) = %d, want 5", got)
	}
	for _, cl := range cat.Classes() {
		if cl == nil {
			t.Fatal("Classes() holds nil")
		}
	}
	if got := cat.Codes(); len(got) != 2 || got[0].Code != 200 || got[1].Code != 404 {
		t.Errorf("Codes() = %v, want 200 then 404", got)
	}
	if c := cat.Code(404); c == nil || c.Class() != cat.Class(4) || c.Title() != "404 Not Found" {
		t.Errorf("Code(404) = %+v, want 404 Not Found in class 4", c)
	}
	for _, n := range []int{-1, 0, 99, 600, 1 << 20} {
		if c := cat.Code(n); c != nil {
			t.Errorf("Code(%d) = %v, want nil", n, c)
		}
	}
	if cl := cat.Class(0); cl != nil {
		t.Errorf("Class(0) = %v, want nil", cl)
	}
}
