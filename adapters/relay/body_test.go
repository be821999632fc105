package relay

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestReadBody(t *testing.T) {
	tests := []struct {
		name   string
		body   io.Reader
		length int64
		status int
	}{
		{"fits", strings.NewReader("hello"), 5, 0},
		{"exactly the limit", strings.NewReader("0123456789"), 10, 0},
		{"declared too large", strings.NewReader("x"), 11, http.StatusRequestEntityTooLarge},
		{"chunked, too large", strings.NewReader(strings.Repeat("x", 11)), -1, http.StatusRequestEntityTooLarge},
		{"broken", io.MultiReader(strings.NewReader("x"), errReader{}), -1, http.StatusBadRequest},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodPost, "/", tt.body)
		r.ContentLength = tt.length
		w := httptest.NewRecorder()
		body, ok := ReadBody(w, r, 10)
		if ok != (tt.status == 0) || (!ok && w.Code != tt.status) {
			t.Errorf("%s: ok %v, status %d; want status %d", tt.name, ok, w.Code, tt.status)
		}
		if ok && int64(len(body)) != tt.length {
			t.Errorf("%s: read %d bytes", tt.name, len(body))
		}
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection lost") }
