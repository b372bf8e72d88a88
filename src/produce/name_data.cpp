#include "produce/name_data.hpp"

#include <array>

namespace ratingstream::produce {
namespace {

// The tables keep ten names a line, grouped by region:
// clang-format off
// Grouped roughly by where the names are common; a person's first and last name are drawn
// independently, as they are in many real families.
constexpr auto kFirstNames = std::to_array<std::string_view>({
    // English-speaking countries
    "James", "Olivia", "Liam", "Emma", "Noah", "Ava", "William", "Sophia", "Benjamin", "Charlotte",
    "Lucas", "Amelia", "Henry", "Harper", "Theodore", "Evelyn", "Jack", "Abigail", "Samuel", "Emily",
    "Daniel", "Ella", "Matthew", "Grace", "Joseph", "Chloe", "David", "Victoria", "Andrew", "Hannah",
    "Ethan", "Lily", "Owen", "Zoey", "Caleb", "Nora", "Isaac", "Hazel", "Nathan", "Violet",
    "Ryan", "Aurora", "Dylan", "Stella", "Connor", "Ruby", "Eli", "Claire", "Aaron", "Lucy",
    "Margaret", "George", "Alice", "Arthur", "Edith", "Frank", "Rose", "Walter", "Iris", "Harold",
    // Ireland, Scotland, Wales
    "Aoife", "Siobhan", "Cian", "Niamh", "Oisín", "Saoirse", "Ciara", "Declan", "Eilidh", "Fergus",
    "Rhys", "Gareth", "Bronwen", "Dafydd", "Carys", "Ewan", "Morag", "Pádraig", "Róisín", "Tadhg",
    // Spain and Latin America
    "José", "María", "Alejandro", "Lucía", "Diego", "Valentina", "Santiago", "Camila", "Mateo", "Sofía",
    "Javier", "Carmen", "Ángel", "Isabel", "Pablo", "Ximena", "Rodrigo", "Paula", "Fernando", "Guadalupe",
    "Andrés", "Daniela", "Emilio", "Renata", "Joaquín",
    // Portugal and Brazil
    "João", "Beatriz", "Thiago", "Larissa", "Rafael", "Mariana", "Gonçalo", "Inês", "Caio", "Leonor",
    // Italy
    "Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Lorenzo", "Giorgia", "Matteo", "Elena", "Davide",
    // France
    "Camille", "Louis", "Chloé", "Hugo", "Manon", "Antoine", "Élodie", "Julien", "Hélène", "Mathis",
    "Margaux", "Théo",
    // Germany, Austria, Switzerland, the Netherlands
    "Lukas", "Anna", "Jonas", "Lena", "Felix", "Mia", "Maximilian", "Johanna", "Jürgen", "Katharina",
    "Tobias", "Greta", "Florian", "Daan", "Sanne", "Bram", "Femke", "Joost", "Lotte", "Maarten", "Eline",
    // The Nordic countries
    "Søren", "Astrid", "Björn", "Freya", "Erik", "Ingrid", "Lars", "Sigrid", "Magnus", "Elin",
    "Nils", "Maja", "Aino", "Eero", "Sanna", "Juhani", "Veera", "Tuomas",
    // Central and Eastern Europe
    "Łukasz", "Agnieszka", "Piotr", "Zofia", "Krzysztof", "Katarzyna", "Tomáš", "Jana", "Ondřej", "Tereza",
    "Marek", "Zsófia", "Bence", "Réka", "Levente", "Ioana", "Andrei", "Mihaela", "Radu",
    "Dmitri", "Anastasia", "Sergei", "Olga", "Ivan", "Tatiana", "Mykola", "Oksana", "Nikita", "Yulia",
    "Alexei", "Svetlana",
    // Greece and Turkey
    "Eleni", "Giorgos", "Dimitra", "Nikos", "Katerina", "Yannis", "Kostas", "Despina", "Vasilis", "Athina",
    "Panagiotis", "Ayşe", "Mehmet", "Elif", "Emre", "Zeynep", "Burak", "Selin", "Mustafa", "Deniz", "Ozan",
    // The Arab world, Iran, Israel
    "Omar", "Fatima", "Youssef", "Layla", "Karim", "Amira", "Hassan", "Noura", "Tariq", "Salma",
    "Khalid", "Rania", "Ibrahim", "Yasmin", "Dariush", "Shirin", "Kian", "Parisa", "Arash", "Niloufar",
    "Reza", "Maryam", "Noa", "Eitan", "Tamar", "Yael", "Avi", "Shira", "Itai", "Maya",
    // South Asia
    "Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Kavya", "Arjun", "Meera", "Sanjay", "Divya",
    "Rahul", "Lakshmi", "Anil", "Sunita", "Ishaan", "Pooja", "Farhan", "Nadia", "Imran", "Ayesha",
    // East Asia
    "Wei", "Mei", "Jun", "Xiu", "Hao", "Ling", "Yong", "Jian", "Xiaoming", "Zhen",
    "Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Kenji", "Sakura", "Takumi", "Yuki", "Daichi", "Emi",
    "Minjun", "Seoyeon", "Jiho", "Hayoon", "Dohyun", "Jiwoo", "Sungmin", "Eunji",
    // Southeast Asia
    "Minh", "Linh", "Duc", "Thao", "Quang", "Huong", "Tuan", "Somchai", "Kanya", "Niran",
    "Siti", "Budi", "Dewi", "Agus", "Putri", "Maricel", "Jomar", "Liezel", "Aziz",
    // Africa
    "Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Tunde", "Folake", "Emeka", "Chiamaka", "Kwame", "Akosua",
    "Kofi", "Ama", "Yaw", "Wanjiru", "Baraka", "Zawadi", "Juma", "Amani", "Thabo", "Nomvula",
    "Sipho", "Lerato", "Tendai", "Chipo", "Abebe", "Meskerem", "Dawit", "Tigist", "Moussa", "Aminata",
    "Ousmane", "Fatou",
    // The Pacific and the Americas' first peoples
    "Aroha", "Tane", "Kahu", "Mere", "Keanu", "Leilani", "Malia", "Sione", "Ayelen", "Nayeli",
    "Citlali", "Inti",
});

constexpr auto kLastNames = std::to_array<std::string_view>({
    // English-speaking countries
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
    "Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson",
    "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins",
    "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed",
    "Bailey", "Bell", "Howard", "Ward", "Brooks", "Gray", "Hughes", "Price", "Bennett", "Wood",
    "Barnes", "Fisher", "Henderson", "Coleman", "Jenkins", "Perry", "Powell", "Long", "Patterson", "Foster",
    "Sanders", "Russell", "Griffin", "Hayes", "Myers", "Ford", "Hamilton", "Graham", "Sullivan", "Wallace",
    // Ireland, Scotland, Wales
    "O'Brien", "O'Connor", "McCarthy", "Ó Súilleabháin", "MacLeod", "Fitzgerald", "Doherty", "Gallagher",
    "Byrne", "Kavanagh", "Llewellyn", "Pritchard", "Vaughan", "MacDonald", "Fraser", "Quinn", "Nolan",
    // Spain and Latin America
    "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez", "Torres",
    "Flores", "Rivera", "Gómez", "Díaz", "Morales", "Ortiz", "Gutiérrez", "Chávez", "Ramos", "Castillo",
    "Jiménez", "Vargas", "Romero", "Herrera", "Medina", "Aguilar", "Mendoza", "Ruiz", "Núñez", "Peña",
    "Delgado", "Castro", "Vega", "Fuentes", "Rojas", "Navarro", "Salazar", "Domínguez", "Iglesias", "Cabrera",
    "Quispe", "Mamani", "Huamán",
    // Portugal and Brazil
    "Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira", "Carvalho", "Gonçalves",
    "Ribeiro", "Rocha", "Barbosa", "Moreira",
    // Italy
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Lombardi", "Moretti", "Barbieri", "Fontana", "Caruso",
    // France
    "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau",
    "Chevalier", "Mercier", "Blanchard", "Gauthier", "Faure", "Beaumont",
    // Germany, Austria, the Netherlands
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Zimmermann", "Braun", "Krüger", "Hartmann",
    "de Vries", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Mulder", "de Boer", "Vos", "van den Berg",
    // The Nordic countries
    "Andersen", "Nielsen", "Hansen", "Johansson", "Karlsson", "Lindqvist", "Eriksson", "Larsen", "Berg", "Haugen",
    "Ødegaard", "Nyström", "Sandberg", "Holm", "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Järvinen", "Laine",
    // Central and Eastern Europe
    "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Dvořák", "Novotný",
    "Svoboda", "Černý", "Procházka", "Horváth", "Kovács", "Szabó", "Tóth", "Nagy", "Popescu", "Ionescu",
    "Dumitru", "Stoica", "Ivanov", "Petrov", "Smirnov", "Volkov", "Kuznetsov", "Sokolov", "Popov", "Morozov",
    "Shevchenko", "Bondarenko", "Kovalenko", "Tkachenko",
    // Greece and Turkey
    "Papadopoulos", "Nikolaidis", "Georgiou", "Konstantinou", "Dimitriou", "Papageorgiou", "Vlachos",
    "Antoniou", "Karagiannis", "Oikonomou", "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk",
    "Aydın", "Arslan", "Doğan",
    // The Arab world, Iran, Israel
    "Haddad", "Khoury", "Mansour", "Nasser", "Saleh", "Hamdan", "Farouk", "Al-Sayed", "Abdallah", "Karam",
    "Bakr", "Habib", "Hosseini", "Karimi", "Ahmadi", "Rahimi", "Moradi", "Tehrani", "Jafari", "Rostami",
    "Cohen", "Levi", "Mizrahi", "Friedman", "Katz", "Peretz", "Biton", "Avraham",
    // South Asia
    "Sharma", "Patel", "Singh", "Gupta", "Kumar", "Reddy", "Iyer", "Nair", "Chatterjee", "Banerjee",
    "Mehta", "Desai", "Joshi", "Kapoor", "Rao", "Khan", "Chaudhry", "Qureshi", "Siddiqui", "Perera",
    "Bandara", "Rahman", "Hossain", "Shrestha",
    // East Asia
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
    "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "Lin", "He", "Gao", "Luo",
    "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato",
    "Yoshida", "Yamada", "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim",
    // Southeast Asia
    "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do",
    "Reyes", "Cruz", "Bautista", "Villanueva", "Wijaya", "Santoso", "Hidayat", "Kusuma", "Saelim", "Srisuk",
    "Wongsakul", "Abdullah", "Ismail",
    // Africa
    "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Adebayo", "Mensah", "Asante", "Boateng",
    "Owusu", "Kamau", "Otieno", "Mwangi", "Njoroge", "Kariuki", "Dlamini", "Nkosi", "Ndlovu", "Mokoena",
    "Moyo", "Banda", "Phiri", "Tesfaye", "Bekele", "Haile", "Diallo", "Traoré", "Keita", "Ndiaye", "Sow",
    // The Pacific and the Americas' first peoples
    "Ngata", "Parata", "Kealoha", "Kahananui", "Fifita", "Tuilagi", "Tsosie", "Begay",
});
// clang-format on

}  // namespace

std::span<const std::string_view> first_names() { return kFirstNames; }
std::span<const std::string_view> last_names() { return kLastNames; }

}  // namespace ratingstream::produce
