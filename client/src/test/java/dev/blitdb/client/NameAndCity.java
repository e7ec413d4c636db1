package dev.blitdb.client;

/** A projection: two properties of {@link User} and the document id. */
public class NameAndCity {
    public String id;
    public String name;
    public String city;
}
