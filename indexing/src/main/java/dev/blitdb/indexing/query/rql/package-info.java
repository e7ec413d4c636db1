/** The RQL query language: lexer, recursive-descent parser, syntax tree and canonical formatter. */
package dev.blitdb.indexing.query.rql;
