package dev.blitdb.client;

import java.util.ArrayList;
import java.util.List;

/** A plain mutable entity, as most applications write them. */
public class User {
    private String id;
    private String name;
    private int age;
    private String city;
    private List<String> tags = new ArrayList<>();

    public User() {
    }

    public User(String name, int age) {
        this.name = name;
        this.age = age;
    }

    public User(String name, int age, String city) {
        this(name, age);
        this.city = city;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int getAge() {
        return age;
    }

    public void setAge(int age) {
        this.age = age;
    }

    public String getCity() {
        return city;
    }

    public void setCity(String city) {
        this.city = city;
    }

    public List<String> getTags() {
        return tags;
    }

    public void setTags(List<String> tags) {
        this.tags = tags;
    }

    @Override
    public String toString() {
        return "User[" + id + ", " + name + ", " + age + ", " + city + ", " + tags + "]";
    }
}
