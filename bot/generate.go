package bot

// go generate ./bot/ makes the files the core embeds from the catalogue and
// the corpus, in this order, each from what the one before made:
//   - catalog/asked.json, the development corpus's questions (TestAskedQuestions);
//   - stems.txt, the stem of every word of the catalogue (TestStemTable);
//   - readtable.bin, the catalogue's texts as start-up reads them (TestReadTable).
// Each test fails while its file is stale. See docs/development.md.

//go:generate go test -run ^TestAskedQuestions$ -asked
//go:generate go test -run ^TestStemTable$ -stems
//go:generate go test -run ^TestReadTable$ -readtable
