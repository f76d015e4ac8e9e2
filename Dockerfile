# Builds the kimbot binary and ships it alone on a small base image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/kimbot ./cmd/kimbot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kimbot /kimbot
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/kimbot"]
CMD ["serve"]
