package org.practiceexchange.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;

/** The English variants of analysis-common's `stemmer` filter. */
public class StemmerFilterFactory extends AbstractTokenFilterFactory {
    private final String language;

    public StemmerFilterFactory(String name, Settings settings) {
        super(name, settings);
        this.language = settings.get("language", settings.get("name", "porter"));
        switch (language) {
            case "english", "porter", "light_english", "minimal_english", "possessive_english" -> { }
            default -> throw new IllegalArgumentException("stemmer language not supported by the shim: " + language);
        }
    }

    @Override
    public TokenStream create(TokenStream stream) {
        return switch (language) {
            case "light_english" -> new KStemFilter(stream);
            case "minimal_english" -> new EnglishMinimalStemFilter(stream);
            case "possessive_english" -> new EnglishPossessiveFilter(stream);
            default -> new PorterStemFilter(stream);
        };
    }
}
