fn main() {
    std::process::exit(rudder::run(std::env::args_os()));
}
