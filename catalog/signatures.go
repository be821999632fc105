package catalog

import (
	"bytes"
	_ "embed"
	"fmt"
)

//go:embed signatures.json
var signaturesJSON []byte

// Signature is a piece of software's error as users paste it (an exception
// name, an error code, a log message) with the status that software sends.
type Signature struct {
	Match string `json:"match"`         // "HttpRequestMethodNotSupportedException", "upstream timed out"
	Code  int    `json:"code"`          // the status sent by default
	Alt   int    `json:"alt,omitempty"` // the status sent in the other configuration, if any
	// AltWhen are words that name that other configuration; a text that
	// says one of them gets Alt first ("SessionAuthentication" for DRF).
	AltWhen []string `json:"alt_when,omitempty"`
	// Internal is the server's own code for the case, which its logs and
	// error handlers see while the client gets Code: nginx sends 400 for
	// a header that is too large, and its error_page catches 494.
	Internal int    `json:"internal,omitempty"`
	Source   string `json:"source"`        // the software or specification: "Spring Framework", "nginx"
	URL      string `json:"url,omitempty"` // where the mapping is documented
	Note     string `json:"note,omitempty"`
	// Quotes is set when the message quotes another status after its
	// words, which is not the one sent: nginx logs "auth request
	// unexpected status: 302" and answers 500.
	Quotes bool `json:"quotes,omitempty"`
}

// NoStatus is the code of a signature that carries no HTTP status: a
// client's report that the connection failed before any response came
// back ("ECONNREFUSED", "net::ERR_NAME_NOT_RESOLVED").
const NoStatus = 0

// Library is a programming library's names for status codes, beyond the
// constants listed on each code.
type Library struct {
	Library   string         `json:"library"`
	URL       string         `json:"url,omitempty"`
	Constants map[string]int `json:"constants"`
}

type signaturesFile struct {
	Signatures []Signature `json:"signatures"`
	// NoStatus are the signatures of failures before any response, each
	// with the code NoStatus.
	NoStatus  []Signature `json:"noStatus"`
	Libraries []Library   `json:"libraries"`
}

// makeRoom makes room for the signatures of data, the file, before it is
// decoded: the decoder fills a slice's room before it grows it, and
// growing it from 10 by doubling allocated 450 KB for 1,761 signatures,
// at every start-up. There are no more signatures than objects, and
// counting the braces costs a few microseconds.
func (f *signaturesFile) makeRoom(data []byte) {
	f.Signatures = make([]Signature, 0, bytes.Count(data, []byte{'{'}))
}

// addSignatures attaches the error signatures and libraries of f to cat.
func (cat *Catalog) addSignatures(f *signaturesFile) error {
	for _, s := range f.Signatures {
		if cat.Code(s.Code) == nil || (s.Alt != 0 && cat.Code(s.Alt) == nil) || (s.Internal != 0 && cat.Code(s.Internal) == nil) {
			return fmt.Errorf("catalog: signature %q: code %d, %d or %d is not catalogued", s.Match, s.Code, s.Alt, s.Internal)
		}
	}
	for _, s := range f.NoStatus {
		if s.Code != NoStatus || s.Alt != 0 || s.Quotes {
			return fmt.Errorf("catalog: no-status signature %q has a status", s.Match)
		}
	}
	for _, l := range f.Libraries {
		for name, n := range l.Constants {
			if cat.Code(n) == nil {
				return fmt.Errorf("catalog: %s constant %s: code %d is not catalogued", l.Library, name, n)
			}
		}
	}
	cat.signatures, cat.noStatus, cat.libraries = f.Signatures, f.NoStatus, f.Libraries
	return nil
}

// Signatures returns every known error signature.
func (cat *Catalog) Signatures() []Signature { return cat.signatures }

// NoStatusSignatures returns the signatures of failures that carry no
// status: a connection that failed before any response.
func (cat *Catalog) NoStatusSignatures() []Signature { return cat.noStatus }

// Libraries returns the extra libraries' constant names.
func (cat *Catalog) Libraries() []Library { return cat.libraries }
