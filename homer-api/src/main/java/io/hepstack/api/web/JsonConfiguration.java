package io.hepstack.api.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.time.Instant;

/** JSON conventions: every {@link Instant} as ISO-8601 UTC with exactly six fractional digits. */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    @Bean
    Module microsecondInstants() {
        SimpleModule module = new SimpleModule("hepstack-instants");
        module.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(Times.format(value));
            }
        });
        return module;
    }
}
