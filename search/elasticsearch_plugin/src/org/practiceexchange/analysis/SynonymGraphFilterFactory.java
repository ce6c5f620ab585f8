package org.practiceexchange.analysis;

import java.io.IOException;
import java.io.StringReader;
import java.text.ParseException;
import java.util.List;
import java.util.function.Function;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

/**
 * analysis-common's `synonym_graph` with inline Solr-format rules. As in Elasticsearch, the
 * rules are analysed by the tokenizer and filters that come before this filter, so a rule
 * matches the tokens a query produces at that point of the chain.
 */
public class SynonymGraphFilterFactory extends AbstractTokenFilterFactory {
    private final List<String> rules;
    private final boolean lenient;
    private final boolean expand;

    public SynonymGraphFilterFactory(String name, Settings settings) {
        super(name, settings);
        this.rules = settings.getAsList("synonyms", List.of());
        this.lenient = settings.getAsBoolean("lenient", false);
        this.expand = settings.getAsBoolean("expand", true);
    }

    @Override
    public TokenStream create(TokenStream stream) {
        throw new IllegalStateException("synonym_graph is built through getChainAwareTokenFilterFactory");
    }

    @Override
    public AnalysisMode getAnalysisMode() {
        return AnalysisMode.SEARCH_TIME;
    }

    @Override
    public TokenFilterFactory getChainAwareTokenFilterFactory(
        IndexCreationContext context,
        TokenizerFactory tokenizer,
        List<CharFilterFactory> charFilters,
        List<TokenFilterFactory> previousTokenFilters,
        Function<String, TokenFilterFactory> allFilters
    ) {
        Analyzer ruleAnalyzer = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer source = tokenizer.create();
                TokenStream stream = source;
                for (TokenFilterFactory filter : previousTokenFilters) {
                    stream = filter.getSynonymFilter().create(stream);
                }
                return new TokenStreamComponents(source, stream);
            }
        };
        SynonymMap map = parse(ruleAnalyzer);
        String filterName = name();
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return filterName;
            }

            @Override
            public TokenStream create(TokenStream stream) {
                return map.fst == null ? stream : new SynonymGraphFilter(stream, map, true);
            }

            @Override
            public TokenFilterFactory getSynonymFilter() {
                return IDENTITY_FILTER;  // synonyms are not applied to other synonym rules
            }

            @Override
            public AnalysisMode getAnalysisMode() {
                return AnalysisMode.SEARCH_TIME;
            }
        };
    }

    private SynonymMap parse(Analyzer analyzer) {
        SolrSynonymParser parser = new SolrSynonymParser(true, expand, analyzer);
        StringBuilder text = new StringBuilder();
        for (String rule : rules) {
            text.append(rule).append('\n');
        }
        try {
            if (lenient) {
                // Parse rule by rule so that one bad rule is skipped, not the whole list.
                for (String rule : rules) {
                    try {
                        parser.parse(new StringReader(rule));
                    } catch (ParseException | IllegalArgumentException e) {
                        // lenient: skip the rule
                    }
                }
            } else {
                parser.parse(new StringReader(text.toString()));
            }
            return parser.build();
        } catch (IOException | ParseException e) {
            throw new IllegalArgumentException("failed to build synonyms: " + e.getMessage(), e);
        }
    }
}
