package bot

import "testing"

// TestPastTheEnd: a byte range whose first byte is at or past the size the
// text gives is read as "beyond"; one within the size, or with no size to
// compare, is not.
func TestPastTheEnd(t *testing.T) {
	for text, want := range map[string]bool{
		"the player asks for bytes 7000-8000 of a 5000-byte clip":            true,
		"Range: bytes=3000000- and the photo is only 2 MB":                   true,
		"bytes=1024- on a file of 1024 bytes":                                true,
		"a resume from bytes=800- of a 1 KB log":                             false,
		"bytes 0-499 of a 1000-byte file":                                    false,
		"Range: bytes=5000000- for the backup":                               false,
		"bytes 100-200, the file was 2 GB":                                   false,
		"sent 4096 bytes, then asked for bytes 9000-9999 of a 6000-byte log": true,
		// A place in the file is not its size.
		"the upload broke off at 20 MB and resumes with bytes=20971520-": false,
		"resume the patch from 300 MB: Range: bytes=314572800-":          false,
	} {
		got := readsSomewhere(text, pastTheEnd, "beyond")
		if got != want {
			t.Errorf("pastTheEnd over %q = %v, want %v", text, got, want)
		}
	}
}
