package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.rql.RqlParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query run with {@link QueryExecutor.Options#nonBlocking()} answers exactly what a normal run answers, or gives
 * up with {@link WouldBlockException} before doing anything that could block or cost unbounded work.
 */
class NonBlockingQueryTest extends IndexingTestBase {

    private List<String> inline(String rql) throws Exception {
        List<String> ids = new ArrayList<>();
        QueryResult r = new QueryExecutor(indexes).execute(RqlParser.parse(rql), QueryParameters.of(Map.of()),
                QueryExecutor.Options.nonBlocking(), doc -> ids.add(doc.id()));
        ids.add("total=" + r.totalResults());
        return ids;
    }

    private List<String> normal(String rql) throws Exception {
        Answer a = query(rql, Map.of(), true);
        List<String> ids = new ArrayList<>(a.ids());
        ids.add("total=" + a.result().totalResults());
        return ids;
    }

    private void assertWouldBlock(String rql) {
        assertSame(WouldBlockException.INSTANCE, assertThrows(WouldBlockException.class, () -> inline(rql)), rql);
    }

    @Test
    void shouldAnswerLikeANormalRunOrRefuseBeforeBlocking() throws Exception {
        var commands = new ArrayList<dev.blitdb.storage.documents.DocumentCommand>();
        int n = QueryExecutor.INLINE_MAX_COUNTED + 500;
        for (int i = 0; i < n; i++) {
            byte[] json = user("U" + i, i % 50, i < 100 ? "Paris" : "Oslo").getBytes(
                    java.nio.charset.StandardCharsets.UTF_8);
            commands.add(new dev.blitdb.storage.documents.DocumentCommand.Put("users/" + i,
                    writer.convert(json, 0, json.length).toByteArray(), null));
            if (commands.size() == 2_000) {
                store.batch(commands).join();
                commands.clear();
            }
        }
        store.batch(commands).join();
        // No automatic index yet: creating one takes the admin lock, so the inline run refuses.
        assertWouldBlock("from Users where Address.City = 'Paris'");
        define("""
                {"Name":"Users/ByCity","Collection":"Users","Fields":{"City":{"Path":"Address.City","Type":"Keyword"},
                "Age":{"Path":"Age","Type":"Long"}}}""");
        assertEquals("total=100", normal("from index 'Users/ByCity' where City = 'Paris' limit 0").getLast());

        for (String rql : List.of("from index 'Users/ByCity' where City = 'Paris' order by Age desc limit 7",
                "from index 'Users/ByCity' where City = 'Paris' and Age between 10 and 12 limit 3 offset 1",
                "from index 'Users/ByCity' where City = 'Nowhere'",
                "from Users limit 5 offset 3")) {
            assertEquals(normal(rql), inline(rql), rql);
        }
        assertTrue(normal("from Users limit 5").contains("total=" + n));
        // More matches than the inline budget would have to be counted for the exact total.
        assertWouldBlock("from index 'Users/ByCity' where City = 'Oslo' limit 1");
        assertWouldBlock("from index 'Users/ByCity' where City = 'Oslo' limit 0");
        assertWouldBlock("from Users offset 300 limit 5"); // a long collection walk
        assertWouldBlock("from index 'Users/ByCity' where Age = 3"); // more hits than an inline page holds
        assertEquals("total=" + (n - 100), normal("from index 'Users/ByCity' where City = 'Oslo' limit 1").getLast());
    }

    @Test
    void shouldRefuseToWaitForNonStaleResults() {
        var waiting = new QueryExecutor.Options(true, java.time.Duration.ofSeconds(1), true);
        assertThrows(WouldBlockException.class, () -> new QueryExecutor(indexes).execute(
                RqlParser.parse("from Users"), QueryParameters.of(Map.of()), waiting, doc -> { }));
    }
}
