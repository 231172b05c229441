/* The events-only parse floor of the scale benchmark: libyaml's parser run over every file named on the
 * command line (or one path a line on stdin with "-"), each event taken and dropped, no node tree built.
 * Prints the files, bytes and events read and the seconds spent (CLOCK_MONOTONIC, reading included).
 * Build: cc -O2 -o yaml_events yaml_events.c -lyaml   (run.sh does this). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

static long long parse_file(const char *path, long long *bytes) {
    FILE *file = fopen(path, "rb");
    if (!file) { fprintf(stderr, "yaml_events: cannot open %s\n", path); exit(2); }
    fseek(file, 0, SEEK_END);
    *bytes += ftell(file);
    rewind(file);
    yaml_parser_t parser;
    yaml_event_t event;
    long long events = 0;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, file);
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "yaml_events: %s:%zu: %s\n", path, parser.problem_mark.line + 1,
                    parser.problem ? parser.problem : "parse error");
            exit(2);
        }
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        events++;
        if (done) break;
    }
    yaml_parser_delete(&parser);
    fclose(file);
    return events;
}

int main(int argc, char **argv) {
    struct timespec start, end;
    long long bytes = 0, events = 0, files = 0;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (argc == 2 && strcmp(argv[1], "-") == 0) {
        char line[4096];
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = 0;
            if (*line) { events += parse_file(line, &bytes); files++; }
        }
    } else {
        for (int i = 1; i < argc; i++) { events += parse_file(argv[i], &bytes); files++; }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("files %lld bytes %lld events %lld seconds %.4f\n", files, bytes, events, seconds);
    return 0;
}
