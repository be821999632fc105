package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
	"github.com/statusbot/statusbot/internal/golden"
)

// rendered is what the adapter sends for one answer.
type rendered struct {
	Text   string `json:"text"`
	Blocks []any  `json:"blocks"`
}

func renderJSON(t *testing.T, a *bot.Answer) rendered {
	t.Helper()
	blocks, _ := asJSON(t, Blocks(a)).([]any)
	return rendered{Text: Text(a), Blocks: blocks}
}

// stress is an answer past every limit, with characters that must be
// escaped and characters outside the Basic Multilingual Plane.
func stress() *bot.Answer {
	long := func(n int) string { return strings.Repeat("a&b<c>d 🙂 é ", n) }
	a := &bot.Answer{
		Result:   bot.Result{Kind: bot.KindSearch},
		Title:    long(30),
		TitleURL: "https://example.com/title",
		Text:     long(500) + "\n\n" + long(500) + "\n" + long(600),
		Note:     long(400),
		Image:    &bot.Image{URL: "https://example.com/i.png", Alt: long(300)},
	}
	for i := range 80 {
		a.Items = append(a.Items, bot.Item{Code: 400 + i, Label: long(20), Detail: long(40)})
	}
	for i := range 25 {
		a.Fields = append(a.Fields, bot.Field{Name: long(30), Value: long(250), Inline: i >= 12, URL: map[bool]string{true: "https://example.com/?a=1&b=<2>|x"}[i%2 == 0]})
	}
	for i := range 30 {
		a.Links = append(a.Links, bot.Link{Label: long(10), URL: fmt.Sprintf("https://example.com/%d", i)})
	}
	for i := range 5 {
		a.Choices = append(a.Choices, bot.Choice{Code: 400 + i, Label: long(10)})
	}
	return a
}

func TestRenderLimits(t *testing.T) {
	t.Parallel()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]*bot.Answer{}
	for _, images := range []bot.Images{bot.ImagesNone, bot.ImagesCat} {
		b := bot.New(cat, bot.Options{Images: images})
		for _, c := range cat.Codes() {
			answers[fmt.Sprintf("code %d (%s)", c.Code, images)] = b.AnswerCode(c.Code)
			answers[fmt.Sprintf("query %q (%s)", c.Phrase, images)] = b.Answer(strings.ToLower(c.Phrase))
		}
	}
	b := bot.New(cat, bot.Options{})
	for _, cl := range cat.Classes() {
		answers["class "+cl.Mask()] = b.Answer(cl.Mask())
	}
	for _, q := range []string{"help", "", "401 vs 403", "301 vs 302 vs 307 vs 308", "too many requests", "what is gone",
		"rate limited", "zzqxj", "42", "299", "600", "<!channel> 429", strings.Repeat("x", 400), "random"} {
		answers[fmt.Sprintf("query %q", q)] = b.Answer(q)
	}
	for _, q := range []string{"301 302 303 307 308", "difference between 404 and 410", "500 vs 502 vs 503 vs 504", "41x", "201 vs 418", "nginx 499"} {
		answers[fmt.Sprintf("query %q", q)] = b.Answer(q)
	}
	answers["stress"] = stress()
	for name, a := range answers {
		checkLimits(t, name, renderJSON(t, a))
		// With the adapter's share button too.
		checkLimits(t, name+" with share", rendered{Text: Text(a), Blocks: asJSON(t, privateMessage(a, "q:"+a.Query).Blocks).([]any)})
	}
	if len(answers) < 2*len(cat.Codes())+5 {
		t.Errorf("rendered only %d answers", len(answers))
	}
}

func TestRenderStressKeepsHeaderFieldsAndButtons(t *testing.T) {
	t.Parallel()
	r := renderJSON(t, stress())
	if r.Blocks[0].(map[string]any)["type"] != "header" {
		t.Error("the header was dropped")
	}
	last := r.Blocks[len(r.Blocks)-1].(map[string]any)
	if last["type"] != "actions" {
		t.Errorf("last block is %v, want the buttons", last["type"])
	}
	if got := buttons(r.Blocks); got[actionCode+"404"] != "404" {
		t.Errorf("suggestion 404 missing from buttons %v", got)
	}
	fields := 0
	for _, b := range r.Blocks {
		f, _ := b.(map[string]any)["fields"].([]any)
		fields += len(f)
	}
	if fields != 25 {
		t.Errorf("%d fields rendered, want all 25", fields)
	}
}

func TestRenderCodeAnswer(t *testing.T) {
	t.Parallel()
	a := &bot.Answer{
		Result: bot.Result{Kind: bot.KindStatus}, Title: "429 Too Many Requests", TitleURL: "https://developer.mozilla.org/429",
		Text:   "The user has sent too many requests.",
		Fields: []bot.Field{{Name: "Class", Value: "4xx: Client error responses (400-499)"}, {Name: "Specification", Value: "RFC 6585, Section 4", URL: "https://www.rfc-editor.org/rfc/rfc6585#section-4"}},
		Note:   "Unofficial: used by Example & Co.",
		Links:  []bot.Link{{Label: "MDN", URL: "https://developer.mozilla.org/429"}, {Label: "RFC 6585", URL: "https://www.rfc-editor.org/rfc/rfc6585#section-4"}},
		Image:  &bot.Image{URL: "https://http.cat/429.jpg", Alt: "A cat illustrating 429 Too Many Requests"},
	}
	r := renderJSON(t, a)
	var types []string
	for _, b := range r.Blocks {
		types = append(types, b.(map[string]any)["type"].(string))
	}
	if got, want := strings.Join(types, " "), "header section section context image actions"; got != want {
		t.Errorf("block types = %s, want %s", got, want)
	}
	var texts []string
	for _, o := range textObjects(r.Blocks) {
		texts = append(texts, o["text"].(string))
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{
		"*Specification*\n<https://www.rfc-editor.org/rfc/rfc6585#section-4|RFC 6585, Section 4>",
		"Unofficial: used by Example &amp; Co.",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("rendered texts lack %q:\n%s", want, all)
		}
	}
	// The title's link is already a button (MDN): no second button for it.
	if n := len(buttons(r.Blocks)); n != 2 {
		t.Errorf("%d buttons, want 2 (MDN, RFC)", n)
	}
}

func TestTextNeverEmpty(t *testing.T) {
	t.Parallel()
	for _, a := range []*bot.Answer{{}, {Result: bot.Result{Query: "q"}}, {Text: "t"}, {Title: "<!here>"}} {
		if got := Text(a); got == "" || strings.Contains(got, "<!here>") {
			t.Errorf("Text(%+v) = %q, want non-empty and escaped", a, got)
		}
	}
}

// TestGolden pins the renders of hand-made answers (testdata/answers), so
// that they change with the renderer, not with the catalogue or the
// resolver. `go test ./adapters/slack -run Golden -update` rewrites them.
func TestGolden(t *testing.T) {
	t.Parallel()
	golden.Renders(t, func(t *testing.T, a *bot.Answer) []byte {
		r := renderJSON(t, a)
		checkLimits(t, "golden", r)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	})
}

// link is the one use of '<' left in mrkdwn: a link the adapter made.
var link = regexp.MustCompile(`<https?://[^<>|\s]+\|[^<>]*>`)

// entities removes the entities escape makes.
var entities = strings.NewReplacer("&amp;", "", "&lt;", "", "&gt;", "")

// Slack's limits, written out rather than taken from the renderer so that a
// wrong constant there cannot pass; TestLimitsMatchReference checks them
// against testdata/platform_limits.json, the team's reference copied.
var limits = map[string]int{
	"blocks_per_message":     50,
	"header_text":            150,
	"section_text":           3000,
	"fields_count":           10,
	"field_text":             2000,
	"context_elements":       10,
	"actions_elements":       25,
	"button_text":            75,
	"button_action_id":       255,
	"button_value":           2000,
	"button_url":             3000,
	"chat_postMessage_text":  40000,
	"body_text_undocumented": 12000, // msg_blocks_too_long near 13,200 (slackapi/bolt-js#2509)
}

// checkLimits fails the test when r breaks one of Slack's limits, leaves a
// control sequence unescaped, or splits a character or an entity.
func checkLimits(t *testing.T, name string, r rendered) {
	t.Helper()
	checkRendered(t, name, r, false)
}

// checkRendered is checkLimits for a render of input that may hold invalid
// UTF-8 or U+FFFD: when replacement is true, U+FFFD in the output is the
// input's, not a character the renderer split.
func checkRendered(t *testing.T, name string, r rendered, replacement bool) {
	t.Helper()
	broken := func(s string) bool {
		return !utf8.ValidString(s) || (!replacement && strings.ContainsRune(s, utf8.RuneError))
	}
	fail := func(format string, args ...any) { t.Errorf("%s: "+format, append([]any{name}, args...)...) }
	if r.Text == "" || relay.Width(r.Text) > limits["chat_postMessage_text"] {
		fail("top-level text has width %d, want 1..%d", relay.Width(r.Text), limits["chat_postMessage_text"])
	}
	checkMrkdwn := func(where, s string) {
		if broken(s) {
			fail("%s: broken UTF-8 in %q", where, s)
		}
		rest := link.ReplaceAllString(s, "")
		if strings.ContainsAny(rest, "<>") {
			fail("%s: unescaped < or > in %q", where, s)
		}
		if strings.Contains(entities.Replace(s), "&") {
			fail("%s: bare or split entity in %q", where, s)
		}
	}
	checkMrkdwn("text", r.Text)
	if n := len(r.Blocks); n == 0 || n > limits["blocks_per_message"] {
		fail("%d blocks, want 1..%d", n, limits["blocks_per_message"])
	}
	body := 0
	actionIDs := map[string]bool{}
	for i, b := range r.Blocks {
		blk := b.(map[string]any)
		where := fmt.Sprintf("block %d (%v)", i, blk["type"])
		textOf := func(v any, limit int, kind string) string {
			o, ok := v.(map[string]any)
			if !ok {
				fail("%s: missing text object", where)
				return ""
			}
			s, _ := o["text"].(string)
			if kind != "" && o["type"] != kind {
				fail("%s: text type %v, want %s", where, o["type"], kind)
			}
			if w := relay.Width(s); w == 0 || w > limit {
				fail("%s: text width %d, want 1..%d: %q", where, w, limit, s)
			}
			if o["type"] == "mrkdwn" {
				checkMrkdwn(where, s)
				if o["verbatim"] != true {
					fail("%s: mrkdwn without verbatim", where)
				}
			} else if broken(s) {
				fail("%s: broken UTF-8 in %q", where, s)
			}
			return s
		}
		switch blk["type"] {
		case "header":
			textOf(blk["text"], limits["header_text"], "plain_text")
		case "section":
			fields, _ := blk["fields"].([]any)
			if blk["text"] == nil && len(fields) == 0 {
				fail("%s: neither text nor fields", where)
			}
			if blk["text"] != nil {
				body += relay.Width(textOf(blk["text"], limits["section_text"], ""))
			}
			if len(fields) > limits["fields_count"] {
				fail("%s: %d fields, want at most %d", where, len(fields), limits["fields_count"])
			}
			for _, f := range fields {
				textOf(f, limits["field_text"], "")
			}
		case "context":
			els, _ := blk["elements"].([]any)
			if len(els) == 0 || len(els) > limits["context_elements"] {
				fail("%s: %d elements, want 1..%d", where, len(els), limits["context_elements"])
			}
			for _, e := range els {
				textOf(e, limits["section_text"], "")
			}
		case "image":
			if u, _ := blk["image_url"].(string); !isWebURL(u, maxImageURL) {
				fail("%s: image_url %q", where, u)
			}
			if alt, _ := blk["alt_text"].(string); alt == "" || relay.Width(alt) > maxAltText {
				fail("%s: alt_text width %d, want 1..%d", where, relay.Width(alt), maxAltText)
			}
		case "actions":
			els, _ := blk["elements"].([]any)
			if len(els) == 0 || len(els) > limits["actions_elements"] {
				fail("%s: %d elements, want 1..%d", where, len(els), limits["actions_elements"])
			}
			for _, e := range els {
				el := e.(map[string]any)
				textOf(el["text"], limits["button_text"], "plain_text")
				id, _ := el["action_id"].(string)
				if id == "" || relay.Width(id) > limits["button_action_id"] || actionIDs[id] {
					fail("%s: action_id %q empty, too long or repeated", where, id)
				}
				actionIDs[id] = true
				if v, _ := el["value"].(string); relay.Width(v) > limits["button_value"] {
					fail("%s: button value width %d", where, relay.Width(v))
				}
				if u, ok := el["url"].(string); ok && !isWebURL(u, limits["button_url"]) {
					fail("%s: button url %q", where, u)
				}
			}
		default:
			fail("%s: unexpected block type", where)
		}
	}
	if body > limits["body_text_undocumented"] {
		fail("section texts total %d, want at most %d", body, limits["body_text_undocumented"])
	}
}

// isWebURL reports whether u is an http(s) URL of at most limit units that
// needs no encoding.
func isWebURL(u string, limit int) bool {
	v, ok := webURL(u, limit)
	return ok && v == u
}
