FROM debian:12.4-slim
RUN groupadd -r app && useradd -r -g app app
RUN apt-get update \
    && apt-get install -y --no-install-recommends gosu curl \
    && rm -rf /var/lib/apt/lists/*
COPY docker-entrypoint.sh /usr/local/bin/
VOLUME /var/lib/app
ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 5432
CMD ["app-server"]
