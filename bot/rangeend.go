package bot

import "strconv"

// A range that starts past the end of what it asks for ("bytes 2000-3000
// of a 1000-byte file", "Range: bytes=5000000- but the image is only 2
// MB") cannot be satisfied, which only its numbers tell: the first byte is
// read as one more word, "beyond", the word the catalogue uses for it, in
// the catalogue and the question alike.

// byteUnits are the units a size is given in, with how many bytes each is.
var byteUnits = map[string]float64{
	"b": 1, "byte": 1, "bytes": 1,
	"k": 1e3, "kb": 1e3, "kib": 1 << 10,
	"m": 1e6, "mb": 1e6, "mib": 1 << 20,
	"g": 1e9, "gb": 1e9, "gib": 1 << 30,
}

// pastTheEnd returns "beyond" when toks[i] is the "bytes" of a byte range
// whose first byte is at or past the size the text gives for the resource.
// Otherwise "".
func pastTheEnd(toks []string, i int) string {
	if toks[i] != "bytes" || i+1 >= len(toks) || !isDigits(toks[i+1]) {
		return ""
	}
	first, err := strconv.ParseFloat(toks[i+1], 64)
	if err != nil {
		return ""
	}
	for j := 0; j+1 < len(toks); j++ {
		unit, ok := byteUnits[toks[j+1]]
		if !ok || !isDigits(toks[j]) || j == i+1 || j == i+2 && isDigits(toks[i+2]) || j > 0 && offsetWords[toks[j-1]] {
			continue
		}
		if size, err := strconv.ParseFloat(toks[j], 64); err == nil && first >= size*unit {
			return "beyond"
		}
	}
	return ""
}

// offsetWords before a size make it a place in the resource, not its size:
// "cut off at 40 MB", "resume from 200 MB".
var offsetWords = wordSet("at", "from", "after", "past", "first")
