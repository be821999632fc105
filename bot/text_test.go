package bot

import "testing"

// TestStemMeetsIrregularPasts: a story's past form and a situation's
// present one meet at one stem, and the forms that are words of their own
// here stay apart.
func TestStemMeetsIrregularPasts(t *testing.T) {
	for past, present := range map[string]string{"sent": "sends", "took": "takes", "gave": "gives", "hidden": "hides", "paid": "pays", "thrown": "throws"} {
		if stem(past) != stem(present) {
			t.Errorf("stem(%q) = %q, stem(%q) = %q: want one stem", past, stem(past), present, stem(present))
		}
	}
	for past, other := range map[string]string{"found": "finds", "gone": "goes", "left": "leaves", "stuck": "sticky", "forbidden": "forbids"} {
		if stem(past) == stem(other) {
			t.Errorf("stem(%q) = stem(%q) = %q: want them apart", past, other, stem(past))
		}
	}
}
