package org.practiceexchange.analysis;

import java.util.Map;

import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/** Registers the analysis-common token filters that the integ-test-zip lacks. */
public class AnalysisShimPlugin extends Plugin implements AnalysisPlugin {
    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "stemmer", (indexSettings, env, name, settings) -> new StemmerFilterFactory(name, settings),
            "asciifolding", (indexSettings, env, name, settings) -> new AsciiFoldingFilterFactory(name, settings),
            "synonym_graph", (indexSettings, env, name, settings) -> new SynonymGraphFilterFactory(name, settings)
        );
    }
}
