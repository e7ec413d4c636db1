// A strict JSON checker that says where the text breaks: {line, column, message}, or null when it is valid JSON.
// JSON.parse's messages differ between browsers and do not always give a position; this one always does.
(function (global) {
  "use strict";
  function check(text) {
    let i = 0;
    const fail = (msg) => { throw { pos: i, message: msg }; };
    const ws = () => { while (i < text.length && " \t\n\r".includes(text[i])) i++; };
    const describe = () => i >= text.length ? "the end of the text" : "'" + text[i] + "'";
    function value() {
      ws();
      const c = text[i];
      if (c === "{") return object();
      if (c === "[") return array();
      if (c === '"') return string();
      if (c === "-" || (c >= "0" && c <= "9")) return number();
      for (const word of ["true", "false", "null"]) {
        if (text.startsWith(word, i)) { i += word.length; return; }
      }
      fail("expected a value but found " + describe());
    }
    function object() {
      i++; ws();
      if (text[i] === "}") { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a property name in double quotes but found " + describe());
        string(); ws();
        if (text[i] !== ":") fail("expected ':' after the property name but found " + describe());
        i++; value(); ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") { i++; return; }
        fail("expected ',' or '}' after a property value but found " + describe());
      }
    }
    function array() {
      i++; ws();
      if (text[i] === "]") { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") { i++; return; }
        fail("expected ',' or ']' after an array element but found " + describe());
      }
    }
    function string() {
      i++;
      while (i < text.length && text[i] !== '"') {
        const c = text.charCodeAt(i);
        if (c < 0x20) fail("control character inside a string (escape it)");
        if (text[i] === "\\") {
          i++;
          if (text[i] === "u") {
            if (!/^[0-9a-fA-F]{4}$/.test(text.substr(i + 1, 4))) fail("bad \\u escape");
            i += 4;
          } else if (!'"\\/bfnrt'.includes(text[i] || "")) fail("bad escape '\\" + (text[i] || "") + "'");
        }
        i++;
      }
      if (i >= text.length) fail("the string is not closed");
      i++;
    }
    function number() {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) fail("bad number");
      i += m[0].length;
    }
    try {
      value(); ws();
      if (i < text.length) fail("unexpected " + describe() + " after the end of the document");
      return null;
    } catch (e) {
      if (e.pos === undefined) throw e;
      const before = text.slice(0, e.pos);
      const line = before.split("\n").length;
      const column = e.pos - before.lastIndexOf("\n");
      return { line: line, column: column, message: e.message };
    }
  }
  global.jsonCheck = check;
})(window);
