package dev.pixels; public final class Main { public static void main(String[] a){} }
