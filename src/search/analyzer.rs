//! Danish text analysis, shared by the index, the CLI's queries and (as a
//! port in `search.js`) the browser: the three must turn text into exactly
//! the same terms, or a search finds nothing.
//!
//! The chain is tantivy's `SimpleTokenizer → RemoveLongFilter →
//! LowerCaser → Stemmer(Danish)`, with one deliberate step of our own
//! between lower-casing and stemming: "aa" is written "å", so that the old
//! spelling finds the new one (Aarhus and Århus), and one at the end: a
//! negation beside a word is one more term (see [`NegationPairs`]). There
//! is no ASCII folding (it would merge "år" with "ar") and no stop words
//! ("ikke godkendt" must not become "godkendt").

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// The name the analyzer is registered under in the tantivy index.
pub const DANISH: &str = "protokol_da";
/// Tokens of this many UTF-8 bytes or more are dropped (tantivy's usual limit).
pub const MAX_TOKEN_BYTES: usize = 40;

/// The Danish analyzer the index uses for every text field.
pub fn danish() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AaToAring)
        .filter(CachedStemmer)
        .filter(NegationPairs)
        .build()
}

/// The same chain without the stemmer: the words as a visitor would type
/// them, for typeahead and for finding the words to highlight.
pub fn surface() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AaToAring)
        .build()
}

/// Text is indexed in Unicode NFC, so that "å" typed as "a" + a combining
/// ring (macOS file names, some copy-paste) is the same letter.
pub fn nfc(text: &str) -> String {
    crate::load::nfc(text)
}

/// All terms of `text`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let text = nfc(text);
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(&text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The exact term of a case number: letters and digits lower-cased, every
/// run of anything else one `-`, so that "24/277", "24-277" and "24 / 277"
/// are one term.
pub fn case_term(case: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for c in nfc(case).chars() {
        if c.is_alphanumeric() {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        } else {
            sep = true;
        }
    }
    out
}

/// A word of a query that may be a case number: it holds a digit and a
/// separator between letters or digits ("24/277", "24-277", "A.12").
pub fn looks_like_case(word: &str) -> bool {
    let has_digit = word.chars().any(|c| c.is_numeric());
    let t = case_term(word);
    has_digit && t.contains('-')
}

/// Words that turn the meaning of the word beside them around.
const NEGATIONS: [&str; 2] = ["ikke", "ej"];

/// Whether a term is a negation and the word beside it
/// ([`NegationPairs`]): other terms hold no white space.
pub fn is_negation_pair(term: &str) -> bool {
    term.contains(' ')
}

/// "aa" → "å" inside a lower-cased token.
#[derive(Clone)]
pub struct AaToAring;

impl TokenFilter for AaToAring {
    type Tokenizer<T: Tokenizer> = AaToAringFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> AaToAringFilter<T> {
        AaToAringFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct AaToAringFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for AaToAringFilter<T> {
    type TokenStream<'a> = AaToAringStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AaToAringStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct AaToAringStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for AaToAringStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.contains("aa") {
            token.text = token.text.replace("aa", "å");
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// tantivy's Danish stemmer, remembering the stem of every word it has
/// stemmed: an archive's tens of millions of words are a few hundred
/// thousand distinct ones, and a lookup costs less than Snowball's rules.
/// The stems are the stemmer's own, so nothing else can tell the two apart.
#[derive(Clone)]
pub struct CachedStemmer;

/// Distinct words a filter remembers before it starts over: bounds the
/// memory a long, varied archive can take.
const STEM_CACHE_WORDS: usize = 500_000;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::Danish))
                .build(),
            stems: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    /// tantivy's stemmer on the whole of its text: one word, on a miss.
    stemmer: TextAnalyzer,
    stems: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &mut self.stemmer,
            stems: &mut self.stems,
        }
    }
}

pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a mut TextAnalyzer,
    stems: &'a mut FxHashMap<String, String>,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(token.text.as_str()) {
            token.text.clone_from(stem);
            return true;
        }
        let mut stream = self.stemmer.token_stream(&token.text);
        let stem = match stream.advance() {
            true => stream.token().text.clone(),
            false => token.text.clone(),
        };
        drop(stream);
        if self.stems.len() >= STEM_CACHE_WORDS {
            self.stems.clear();
        }
        self.stems
            .insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// A negation and a word beside it with only white space or a hyphen
/// between ("ikke godkendt", "godkendte ikke", "blev ikke godkendt" twice,
/// "ikke-godkendte") are one more
/// term after the word's: their two stems, the negation's first and a
/// space between ("ikk godkend"). A search of "ikke godkendt" then ranks
/// the decisions that say so above the documents that hold "ikke" and
/// "godkendt" apart ("godkendt, dog ikke …"). Nothing else is paired:
/// phrases in general would multiply the index.
#[derive(Clone)]
pub struct NegationPairs;

impl TokenFilter for NegationPairs {
    type Tokenizer<T: Tokenizer> = NegationPairsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> NegationPairsFilter<T> {
        NegationPairsFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct NegationPairsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for NegationPairsFilter<T> {
    type TokenStream<'a> = NegationPairsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NegationPairsStream {
            tail: self.inner.token_stream(text),
            text,
            prev: None,
            prev_term: String::new(),
            pair: Token::default(),
            pair_next: false,
            on_pair: false,
        }
    }
}

/// Where the previous token was and whether it is a negation.
#[derive(Clone, Copy)]
struct Prev {
    from: usize,
    to: usize,
    position: usize,
    negation: bool,
}

pub struct NegationPairsStream<'a, T> {
    tail: T,
    text: &'a str,
    prev: Option<Prev>,
    /// The previous token's term (its buffer is reused).
    prev_term: String,
    pair: Token,
    /// `pair` comes after the current token.
    pair_next: bool,
    /// The current token is `pair`.
    on_pair: bool,
}

/// What lies between two words that stand together: white space, or the
/// hyphen of a compound ("ikke-godkendte").
fn beside(gap: &str) -> bool {
    gap == "-" || (!gap.is_empty() && gap.chars().all(char::is_whitespace))
}

/// A negation as the visitor wrote it: lower-cased character by
/// character, as `LowerCaser` does.
fn is_negation(word: &str) -> bool {
    // Only "i", "I", "e" and "E" lower-case to a lone "i" or "e": most
    // words stop here.
    if !matches!(word.as_bytes().first(), Some(b'i' | b'I' | b'e' | b'E')) {
        return false;
    }
    NEGATIONS
        .iter()
        .any(|n| word.chars().flat_map(char::to_lowercase).eq(n.chars()))
}

impl<T: TokenStream> TokenStream for NegationPairsStream<'_, T> {
    fn advance(&mut self) -> bool {
        if self.pair_next {
            self.pair_next = false;
            self.on_pair = true;
            return true;
        }
        self.on_pair = false;
        if !self.tail.advance() {
            return false;
        }
        let t = self.tail.token();
        let negation = is_negation(&self.text[t.offset_from..t.offset_to]);
        if let Some(p) = self.prev
            && p.negation != negation
            && beside(&self.text[p.to..t.offset_from])
        {
            let (neg, word) = match negation {
                true => (t.text.as_str(), self.prev_term.as_str()),
                false => (self.prev_term.as_str(), t.text.as_str()),
            };
            self.pair.text.clear();
            self.pair.text.push_str(neg);
            self.pair.text.push(' ');
            self.pair.text.push_str(word);
            self.pair.offset_from = p.from;
            self.pair.offset_to = t.offset_to;
            self.pair.position = if negation { t.position } else { p.position };
            self.pair.position_length = 1;
            self.pair_next = true;
        }
        self.prev = Some(Prev {
            from: t.offset_from,
            to: t.offset_to,
            position: t.position,
            negation,
        });
        self.prev_term.clone_from(&t.text);
        true
    }

    fn token(&self) -> &Token {
        match self.on_pair {
            true => &self.pair,
            false => self.tail.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.on_pair {
            true => &mut self.pair,
            false => self.tail.token_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn da(text: &str) -> Vec<String> {
        terms(&mut danish(), text)
    }

    #[test]
    fn inflections_share_a_stem() {
        let a = da("beslutning beslutningen beslutninger beslutningerne");
        assert!(a.iter().all(|t| t == &a[0]), "{a:?}");
    }

    #[test]
    fn danish_letters_are_kept_apart_from_ascii() {
        assert_ne!(da("år"), da("ar"));
        assert_ne!(da("øl"), da("ol"));
        assert_ne!(da("æble"), da("able"));
    }

    #[test]
    fn double_a_is_aring() {
        assert_eq!(da("Aarhus"), da("Århus"));
        assert_eq!(da("AARHUS"), da("århus"));
        assert_eq!(da("Haandbog"), da("håndbog"));
    }

    #[test]
    fn negation_is_kept() {
        assert_eq!(da("ikke godkendt"), ["ikk", "godkend", "ikk godkend"]);
        assert_ne!(da("ikke godkendt"), da("godkendt"));
    }

    #[test]
    fn a_negation_pairs_with_the_words_beside_it() {
        let pairs = |text: &str| -> Vec<String> {
            da(text)
                .into_iter()
                .filter(|t| is_negation_pair(t))
                .collect()
        };
        assert_eq!(pairs("Forslaget vedtaget ikke."), ["ikk vedtag"]);
        assert_eq!(pairs("Blev IKKE godkendt"), ["ikk blev", "ikk godkend"]);
        assert_eq!(pairs("Ej vedtaget"), ["ej vedtag"]);
        // Punctuation between, or no word beside it: no pair.
        assert_eq!(pairs("Godkendt, dog ikke. Punkt 3"), ["ikk dog"]);
        assert!(pairs("Godkendt, ikke").is_empty());
        assert!(pairs("ikke").is_empty());
        assert_eq!(pairs("ikke-godkendte"), ["ikk godkend"]);
        assert!(pairs("ikke--godkendt").is_empty());
        assert!(pairs("ikke - godkendt").is_empty());
        // Two negations are not a pair; each pairs with its word.
        assert_eq!(pairs("ej ikke godkendt"), ["ikk godkend"]);
        // Words that are not negations on their own.
        assert!(pairs("ikkes ejer godkendt").is_empty());
    }

    #[test]
    fn decomposed_letters_are_composed() {
        assert_eq!(da("A\u{30a}rhus"), da("Århus"));
    }

    #[test]
    fn case_numbers_normalize_to_one_term() {
        assert_eq!(case_term("24/277"), "24-277");
        assert_eq!(case_term("24-277"), "24-277");
        assert_eq!(case_term(" 24 / 277 "), "24-277");
        assert_eq!(case_term("A.12/B"), "a-12-b");
        assert!(looks_like_case("24/277"));
        assert!(!looks_like_case("2024"));
        assert!(!looks_like_case("lokal-plan"));
    }

    #[test]
    fn cached_stems_are_the_stemmers_own() {
        let text =
            "beslutningerne godkendes godkendt udvalgets udvalg Aarhus beslutningerne godkendes";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(AaToAring)
            .filter(Stemmer::new(Language::Danish))
            .build();
        let mut cached = danish();
        // Twice: the second pass reads every stem from the cache.
        for _ in 0..2 {
            assert_eq!(terms(&mut cached, text), terms(&mut plain, text));
        }
    }

    #[test]
    fn long_tokens_are_dropped() {
        let long = "a".repeat(45);
        assert!(da(&format!("{long} kort")).len() == 1);
    }
}
