# Build and run Rebound in a container (used by docker-compose.yml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY schema schema
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/rebound.jar /app/rebound.jar
COPY runbooks runbooks
COPY knowledge knowledge
COPY drills drills
COPY rebound.yaml rebound.yaml
COPY prompts prompts
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
EXPOSE 8080 8090
ENTRYPOINT ["java", "-jar", "/app/rebound.jar"]
CMD ["serve", "--demo"]
