package dev.blitdb.indexing.query.rql;

import dev.blitdb.indexing.query.rql.RqlExpression.And;
import dev.blitdb.indexing.query.rql.RqlExpression.Between;
import dev.blitdb.indexing.query.rql.RqlExpression.Comparison;
import dev.blitdb.indexing.query.rql.RqlExpression.Exists;
import dev.blitdb.indexing.query.rql.RqlExpression.In;
import dev.blitdb.indexing.query.rql.RqlExpression.Not;
import dev.blitdb.indexing.query.rql.RqlExpression.Operator;
import dev.blitdb.indexing.query.rql.RqlExpression.Or;
import dev.blitdb.indexing.query.rql.RqlExpression.Search;
import dev.blitdb.indexing.query.rql.RqlExpression.StartsWith;
import dev.blitdb.indexing.query.rql.RqlQuery.OrderBy;
import dev.blitdb.indexing.query.rql.RqlQuery.SortType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RqlParserTest {

    private static RqlField f(String path) {
        return new RqlField(path, 0);
    }

    private static RqlValue lit(Object v) {
        return new RqlValue.Literal(v);
    }

    @Test
    void shouldParseTheDesignExample() {
        RqlQuery q = RqlParser.parse("from Users where Age >= $min and (Name = 'Ann' or startsWith(Name, 'Bo')) "
                + "order by Age desc limit 20 offset 40");
        assertEquals(new RqlQuery.Collection("Users"), q.source());
        assertEquals(new And(List.of(
                new Comparison(f("Age"), Operator.GREATER_OR_EQUAL, new RqlValue.Parameter("min", 0)),
                new Or(List.of(new Comparison(f("Name"), Operator.EQUAL, lit("Ann")),
                        new StartsWith(f("Name"), lit("Bo")))))), q.where().orElseThrow());
        assertEquals(List.of(new OrderBy(f("Age"), true, SortType.DEFAULT)), q.orderBy());
        assertEquals(Optional.of(lit(20L)), q.limit());
        assertEquals(Optional.of(lit(40L)), q.offset());
    }

    @Test
    void shouldParseIndexQueriesSearchAndPaths() {
        RqlQuery q = RqlParser.parse("FROM INDEX 'Users/ByCity' WHERE search(Bio, 'database engine') "
                + "AND Address.City = \"Paris\" AND Lines[].Product in ('a', 'b') AND exists(Tags[])");
        assertEquals(new RqlQuery.Index("Users/ByCity"), q.source());
        assertEquals(new And(List.of(new Search(f("Bio"), lit("database engine")),
                new Comparison(f("Address.City"), Operator.EQUAL, lit("Paris")),
                new In(f("Lines[].Product"), List.of(lit("a"), lit("b"))),
                new Exists(f("Tags[]")))), q.where().orElseThrow());
    }

    @Test
    void shouldBindNotTighterThanAndTighterThanOr() {
        RqlQuery q = RqlParser.parse("from Users where not A = 1 and B = 2 or C between 1 and 5");
        assertEquals(new Or(List.of(
                new And(List.of(new Not(new Comparison(f("A"), Operator.EQUAL, lit(1L))),
                        new Comparison(f("B"), Operator.EQUAL, lit(2L)))),
                new Between(f("C"), lit(1L), lit(5L)))), q.where().orElseThrow());
    }

    @Test
    void shouldParseLiteralsExactly() {
        RqlQuery q = RqlParser.parse("from X where a = -12 and b = 1.5e-3 and c = true and d = null and e = 'it''s' "
                + "and f = 'tab\\there' and g = 99999999999999999999 and h <> 'x' and i == 'y'");
        var terms = ((And) q.where().orElseThrow()).terms();
        assertEquals(lit(-12L), ((Comparison) terms.get(0)).value());
        assertEquals(lit(1.5e-3), ((Comparison) terms.get(1)).value());
        assertEquals(lit(true), ((Comparison) terms.get(2)).value());
        assertEquals(lit(null), ((Comparison) terms.get(3)).value());
        assertEquals(lit("it's"), ((Comparison) terms.get(4)).value());
        assertEquals(lit("tab\there"), ((Comparison) terms.get(5)).value());
        assertEquals(lit(1e20), ((Comparison) terms.get(6)).value());
        assertEquals(Operator.NOT_EQUAL, ((Comparison) terms.get(7)).operator());
        assertEquals(Operator.EQUAL, ((Comparison) terms.get(8)).operator());
    }

    @Test
    void shouldParseOrderSelectAndPagingForms() {
        RqlQuery q = RqlParser.parse("from Users order by Name as string, Age as long desc, Score asc "
                + "select Name, Address.City as City limit 10, 5");
        assertEquals(List.of(new OrderBy(f("Name"), false, SortType.STRING),
                new OrderBy(f("Age"), true, SortType.NUMBER), new OrderBy(f("Score"), false, SortType.DEFAULT)),
                q.orderBy());
        assertEquals("City", q.select().get(1).resultName());
        assertEquals("Name", q.select().get(0).resultName());
        assertEquals(Optional.of(lit(10L)), q.offset());
        assertEquals(Optional.of(lit(5L)), q.limit());

        RqlQuery o = RqlParser.parse("from Users offset $skip limit $take");
        assertEquals(Optional.of(new RqlValue.Parameter("skip", 0)), o.offset());
        assertEquals(Optional.of(new RqlValue.Parameter("take", 0)), o.limit());
        assertTrue(RqlParser.parse("from Users").where().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "select * from Users|a query starts with 'from <collection>' or 'from index <name>', found 'select' at line 1, column 1",
        "from Users where|expected a field name, '(', 'not' or a function (startsWith, exists, search), found the end of the query at line 1, column 17",
        "from Users where Age >|expected a value: a 'string', a number, true, false, null or a $parameter, found the end of the query at line 1, column 23",
        "from Users where Age ~ 3|unexpected character '~' at line 1, column 22",
        "from Users where (Age = 3|expected ')' to close the '(', found the end of the query at line 1, column 26",
        "from Users where Name = 'Ann|unterminated string at line 1, column 25",
        "from Users where Age between 1 or 3|expected 'and' between the two ends of 'between', found 'or' at line 1, column 32",
        "from Users where fuzzy(Name, 'x')|unknown function 'fuzzy'; the functions are startsWith, exists and search at line 1, column 18",
        "from Users order Age|expected 'by' after 'order', found 'Age' at line 1, column 18",
        "from Users limit -1|expected a whole number ≥ 0 or a $parameter at line 1, column 18",
        "from Users limit 5 garbage|expected 'where', 'order by', 'select', 'limit' or the end of the query, found 'garbage' at line 1, column 20",
        "from Users where Age = 12abc|unexpected character 'a' in a number at line 1, column 26",
        "from Users where Name in ('a' 'b')|expected ',' or ')' in the 'in' list, found string 'b' at line 1, column 31",
    })
    void shouldPointAtTheProblem(String query, String message) {
        var e = assertThrows(RqlSyntaxException.class, () -> RqlParser.parse(query));
        assertEquals(message, e.getMessage());
    }

    @Test
    void shouldCountLinesAndColumnsAcrossNewlines() {
        var e = assertThrows(RqlSyntaxException.class, () -> RqlParser.parse("from Users\nwhere Age = 1\n  and ?"));
        assertEquals(3, e.line());
        assertEquals(7, e.column());
        assertEquals(31, e.offset());
    }

    @Test
    void shouldRejectEmptyQueries() {
        assertThrows(RqlSyntaxException.class, () -> RqlParser.parse("   "));
        assertThrows(RqlSyntaxException.class, () -> RqlParser.parse(null));
    }

    @Test
    void shouldSurviveDeepParenthesesWithoutCrashingTheServer() {
        // Deep nesting is legal but bounded by the stack; what matters is a clean exception type, not a crash.
        String deep = "from X where " + "(".repeat(200) + "a = 1" + ")".repeat(200);
        assertEquals(new Comparison(f("a"), Operator.EQUAL, lit(1L)), RqlParser.parse(deep).where().orElseThrow());
    }
}
