// ratingstream: one binary, one subcommand per stage of the pipeline.

#include "app/run_command_line.hpp"

int main(int argc, char** argv) { return ratingstream::app::run_command_line(argc, argv); }
