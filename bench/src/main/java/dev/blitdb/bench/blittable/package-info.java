/**
 * Blittable benchmarks against Jackson: conversion throughput, field access, JSON output; plus the size report
 * ({@link dev.blitdb.bench.blittable.SizeReport}). Results in {@code bench/results/blittable.md}.
 */
package dev.blitdb.bench.blittable;
